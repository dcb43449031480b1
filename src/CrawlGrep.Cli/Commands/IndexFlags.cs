using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// The flags that let an index choose a crawl's records: <c>--where</c> over the columnar index, or <c>--cdx</c> through
/// the crawl's CDX server. Either replaces reading every file of the crawl by reading only the records selected.
/// </summary>
internal sealed class IndexFlags
{
    public readonly Option<string?> Where = new("--where")
    {
        Description = "Only the records of the crawl that this SQL predicate over its columnar index selects (e.g. \"url_host_tld = 'no'\")",
        HelpName = "SQL",
    };
    public readonly Option<string?> Cdx = new("--cdx")
    {
        Description = "Only the records of the crawl whose URL matches this pattern, from its CDX server (e.g. 'example.com/*', '*.example.org')",
        HelpName = "URL",
    };
    public readonly Option<string[]> CdxFilter = new("--cdx-filter")
    {
        Description = "A CDX server filter on --cdx records (e.g. status:200, mime:text/html, !mime:application/pdf; repeatable)",
        HelpName = "FILTER",
    };
    public readonly Option<string?> IndexPath = new("--index")
    {
        Description = "Where the columnar index is: the crawl's folder of .parquet files, a file, or a URL [default: cc-index/table/cc-main/warc/crawl=ID/subset=warc/ under --cc-root]",
        HelpName = "PATH",
    };
    public readonly Option<string[]> Keep = new("--keep-index-columns")
    {
        Description = "Index columns to keep with the selected records in the index_records table (comma-separated), to join with hits",
        HelpName = "COLUMNS",
    };

    public readonly Option<long?> MaxGap = new("--max-gap")
    {
        Description = $"Read across up to SIZE between two selected records of a file rather than make another request [default: {RecordListOptions.DefaultRemoteGap >> 20}M for s3:// and https://, {RecordListOptions.DefaultLocalGap >> 10}K for local files]",
        HelpName = "SIZE",
        CustomParser = r => Sizes.ParseArgument(r, "--max-gap", zeroAllowed: true),
    };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Where, Cdx, CdxFilter, IndexPath, Keep, MaxGap }) command.Options.Add(o);
    }

    public bool Given(ParseResult pr) => pr.GetValue(Where) is not null || pr.GetValue(Cdx) is not null;

    /// <summary>Flags that make no sense together or alone; null when all is well.</summary>
    public string? Misuse(ParseResult pr, bool crawlNamed, bool pathsNamed, CrawlFileType fileType)
    {
        bool where = pr.GetValue(Where) is not null, cdx = pr.GetValue(Cdx) is not null;
        if (where && cdx) return "--where and --cdx each select the records: give one of them";
        if (!where && !cdx)
        {
            if (pr.GetValue(IndexPath) is not null) return "--index is read by --where: give the predicate too";
            if (pr.GetValue(Keep) is { Length: > 0 }) return "--keep-index-columns keeps columns of the records --where or --cdx selects: give one of them";
            if (pr.GetValue(CdxFilter) is { Length: > 0 }) return "--cdx-filter filters what --cdx selects: give --cdx too";
            if (pr.GetValue(MaxGap) is not null) return "--max-gap sets how the records --where or --cdx selects are read: give one of them";
            return null;
        }
        string flag = where ? "--where" : "--cdx";
        if (!crawlNamed) return $"{flag} selects records of a crawl: name it (--crawl CC-MAIN-2024-33, or --crawl latest)";
        if (pathsNamed) return $"{flag} chooses what is read from the crawl: name no archives besides";
        if (fileType != CrawlFileType.Warc) return $"{flag}: Common Crawl's indexes list WARC records, not {fileType.ToString().ToLowerInvariant()} files (drop --type {fileType.ToString().ToLowerInvariant()})";
        if (cdx && pr.GetValue(IndexPath) is not null) return "--index is the columnar index of --where; --cdx asks the crawl's CDX server";
        return null;
    }

    /// <summary>
    /// The records the index selects from <paramref name="crawlId"/>; when <paramref name="files"/> is given (a
    /// --segment, --sample or --files choice), only those in these files.
    /// </summary>
    public IndexSelection Select(ParseResult pr, CrawlCatalog catalog, string crawlId, SourceResolver sources, IReadOnlySet<string>? files)
    {
        var keep = (pr.GetValue(Keep) ?? []).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        IndexSelection selection;
        if (pr.GetValue(Where) is { } predicate)
        {
            string location = pr.GetValue(IndexPath) ?? ColumnarIndex.DefaultLocation(catalog.DataRoot, crawlId);
            selection = ColumnarIndex.Select(location, crawlId, predicate, keep, catalog.DataRoot);
        }
        else
        {
            string pattern = pr.GetValue(Cdx)!;
            var crawl = catalog.Crawls().First(c => c.Id == crawlId);
            string endpoint = crawl.CdxApi ?? $"https://index.commoncrawl.org/{crawlId}-index";
            selection = CdxSelection.Select(new CdxApi(endpoint, sources), pattern, pr.GetValue(CdxFilter) ?? [], keep, catalog.DataRoot,
                w => Console.Error.WriteLine($"crawlgrep: warning: {w}"));
        }
        if (files is null) return selection;
        var inFiles = Enumerable.Range(0, selection.Records.Count).Where(i => files.Contains(selection.Records[i].File)).ToList();
        return selection with
        {
            Records = inFiles.Select(i => selection.Records[i]).ToList(),
            KeptValues = selection.KeptValues.Count == 0 ? [] : inFiles.Select(i => selection.KeptValues[i]).ToList(),
        };
    }
}
