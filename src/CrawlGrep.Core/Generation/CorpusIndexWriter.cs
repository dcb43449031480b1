using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Writes the indexes of a generated corpus as Common Crawl publishes them, under the corpus folder:
/// the columnar index, <c>cc-index/table/cc-main/warc/crawl={crawl}/subset=warc/part-00000.parquet</c>
/// (<see cref="ColumnarIndexWriter"/>), and the CDX index, <c>cc-index/collections/{crawl}/indexes/cdx-00000.gz</c>
/// with its <c>cluster.idx</c> (<see cref="ZipNumCdxWriter"/>). Both hold one entry per response record of the
/// WARC (CC indexes responses, not requests or metadata), <c>filename</c> being the WARC's name, relative to the
/// folder. The corpus may be several files of one segment (<see cref="CorpusOptions.FileNumber"/>): one index
/// lists them all. All entries are in the <c>warc</c> subset, as the WARCs hold them all: CC files redirects and
/// 404s under <c>crawldiagnostics</c> in files of their own.
/// </summary>
public static class CorpusIndexWriter
{
    /// <summary>The shard of the CDX index.</summary>
    public const string CdxShard = "cdx-00000.gz";

    /// <summary>The Parquet file of the generated partition.</summary>
    public const string ParquetFile = "part-00000.parquet";

    /// <summary>The folder of a crawl's CDX index, relative to the data root.</summary>
    public static string CdxFolder(string crawl) => $"cc-index/collections/{crawl}/indexes";

    /// <summary>Why <paramref name="result"/> cannot be indexed, or null when it can.</summary>
    public static string? WhyNot(CorpusResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Files.Any(f => f.Kind == CorpusKinds.Warc)) return "no WARC was written";
        if (result.Captures.Count == 0) return "the generator kept no captures (CorpusOptions.Captures is off)";
        if (result.Captures.Any(c => c.Length <= 0)) return "the WARC is one gzip member: its records have no byte ranges of their own";
        if (result.Captures[^1].Offset + result.Captures[^1].Length > int.MaxValue)
            return "the WARC is larger than 2 GiB, beyond the 32-bit offsets of CC's index";
        return null;
    }

    /// <summary>Writes both indexes of <paramref name="result"/>, generated into <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">The corpus cannot be indexed (<see cref="WhyNot"/>).</exception>
    public static CorpusIndex Write(string directory, CorpusResult result) => Write(directory, [result]);

    /// <summary>Writes one pair of indexes for the files of <paramref name="results"/>, all generated into <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">A file cannot be indexed (<see cref="WhyNot"/>).</exception>
    public static CorpusIndex Write(string directory, IReadOnlyList<CorpusResult> results)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("no corpus to index", nameof(results));
        foreach (var result in results)
            if (WhyNot(result) is { } reason) throw new InvalidOperationException($"no index: {reason}");
        var captures = results.Count == 1 ? results[0].Captures : results.SelectMany(r => r.Captures).ToList();

        string partition = CrawlCatalog.Join(directory, ColumnarIndexSchema.PartitionPath(CorpusGenerator.Crawl, ColumnarIndexSchema.WarcSubset));
        string cdxFolder = CrawlCatalog.Join(directory, CdxFolder(CorpusGenerator.Crawl));
        Directory.CreateDirectory(partition);
        Directory.CreateDirectory(cdxFolder);

        var index = new CorpusIndex(Path.Combine(partition, ParquetFile), Path.Combine(cdxFolder, CdxShard),
            Path.Combine(cdxFolder, "cluster.idx"), captures.Count);
        ColumnarIndexWriter.Write(captures, index.Parquet, CorpusGenerator.Segment);
        // CC's CDX files are sorted as `LC_ALL=C sort` sorts lines: by SURT key, then timestamp.
        var lines = captures.Select(CdxLine.Format).Order(StringComparer.Ordinal).ToList();
        ZipNumCdxWriter.Write(lines, index.Cdx, index.ClusterIndex);
        return index;
    }
}
