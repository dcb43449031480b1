namespace CrawlGrep.Core.Generation;

/// <summary>How a written WARC file is compressed.</summary>
public enum WarcCompression
{
    /// <summary>One gzip member per record (Common Crawl's <c>.warc.gz</c>, WARC 1.1 Annex D). Records are addressable by (offset, length).</summary>
    Gzip,
    /// <summary>Uncompressed WARC.</summary>
    Plain,
    /// <summary>One zstd frame per record, optionally after a dictionary frame (IIPC warc-zstd, <c>.warc.zst</c>).</summary>
    Zstd,
    /// <summary>The whole file as a single gzip member: valid gzip, but records are not addressable and the file is not splittable.</summary>
    GzipWhole,
}
