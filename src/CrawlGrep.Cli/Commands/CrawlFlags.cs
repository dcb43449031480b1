using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>Which files of a Common Crawl crawl to take, and where the catalog lives: shared by scans and <c>crawlgrep crawls</c>.</summary>
internal sealed class CrawlFlags
{
    public readonly Option<string?> Segment = new("--segment") { Description = "Only the files of this segment (e.g. 1722640353668.0)", HelpName = "ID" };
    public readonly Option<int?> Files = new("--files") { Description = "Only the first N files of the crawl (after --segment and --sample)", HelpName = "N" };
    public readonly Option<int?> Sample = new("--sample") { Description = "A random sample of N files of the crawl, fixed by --seed", HelpName = "N" };
    public readonly Option<long?> Seed = new("--seed") { Description = "Seed of --sample: the same seed picks the same files [default: 0]", HelpName = "S" };
    public readonly Option<string?> Collinfo = new("--collinfo")
    {
        Description = $"The crawl list: a URL or a path [default: {CrawlCatalog.CollinfoVariable}, else {CrawlCatalog.CollinfoUrl}]",
        HelpName = "SOURCE",
    };
    public readonly Option<string?> Root = new("--cc-root")
    {
        Description = $"Where crawl-data/ lives: a URL or a folder [default: {CrawlCatalog.RootVariable}, else {CrawlCatalog.S3Root} with AWS credentials, else {CrawlCatalog.HttpsRoot}]",
        HelpName = "ROOT",
    };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Segment, Files, Sample, Seed, Collinfo, Root }) command.Options.Add(o);
    }

    public CrawlCatalog Catalog(ParseResult pr, SourceResolver sources) =>
        new(sources.Open, pr.GetValue(Root) ?? CrawlCatalog.DefaultDataRoot(), pr.GetValue(Collinfo) ?? CrawlCatalog.DefaultCollinfo(), CrawlCatalog.DefaultCacheDir());

    /// <summary>Flags that select files given without a crawl to select from, or a seed without a sample; null when all is well.</summary>
    public string? Misuse(ParseResult pr, bool crawlNamed, string howToName)
    {
        if (!crawlNamed)
            foreach (var (name, given) in new (string, bool)[] { ("--segment", pr.GetValue(Segment) is not null), ("--files", pr.GetValue(Files) is not null), ("--sample", pr.GetValue(Sample) is not null), ("--seed", pr.GetValue(Seed) is not null) })
                if (given) return $"{name} selects files of a crawl: name the crawl ({howToName})";
        if (pr.GetValue(Seed) is not null && pr.GetValue(Sample) is null) return "--seed picks a --sample: give --sample N too";
        return null;
    }

    public CrawlSelection Selection(ParseResult pr, string crawl, CrawlFileType type) => new()
    {
        Crawl = crawl,
        Type = type,
        Segment = pr.GetValue(Segment),
        Sample = pr.GetValue(Sample),
        Seed = pr.GetValue(Seed) ?? 0,
        Files = pr.GetValue(Files),
    };
}
