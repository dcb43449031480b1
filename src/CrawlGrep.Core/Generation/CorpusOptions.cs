namespace CrawlGrep.Core.Generation;

/// <summary>What <see cref="CorpusGenerator"/> produces. Equal options give byte-identical files.</summary>
public sealed record CorpusOptions
{
    /// <summary>Seed of every random choice: same seed, same bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The number that ends the files' CC names (<c>...-00003.warc.gz</c>), 0 to 99999: the files of one segment are
    /// numbered from 0. Only the names (and the WARC-Filename and index entries that repeat them) depend on it.
    /// </summary>
    public int FileNumber { get; init; }

    /// <summary>
    /// Target uncompressed size of the WARC in bytes. Pages are added until it is reached, so the WARC ends a
    /// little past it (by at most one page's records, under 70 KB); the WET and WAT hold the same pages and are
    /// smaller. At least one page is always written.
    /// </summary>
    public long TargetSize { get; init; } = 200L * 1024 * 1024;

    public WarcCompression Compression { get; init; } = WarcCompression.Gzip;

    public CorpusKinds Kinds { get; init; } = CorpusKinds.All;

    /// <summary>zlib level for gzip: 6 (CompressionLevel.Optimal, gzip's and Java's default; close to CC's files). 1 is about 2× faster.</summary>
    public int GzipLevel { get; init; } = WarcRecordWriter.DefaultGzipLevel;

    /// <summary>zstd level for <see cref="WarcCompression.Zstd"/>.</summary>
    public int ZstdLevel { get; init; } = WarcRecordWriter.DefaultZstdLevel;

    /// <summary>For zstd: train a dictionary on the first pages and write it in a dictionary frame at the head of each file.</summary>
    public bool ZstdDictionary { get; init; } = true;

    /// <summary>
    /// Keep the CDX entry of each response record of the WARC in <see cref="CorpusResult.Captures"/>, for
    /// <see cref="CorpusIndexWriter"/>: about half a KB and a few microseconds a page. Does not change the files.
    /// </summary>
    public bool Captures { get; init; }
}
