namespace CrawlGrep.Core.Compression;

/// <summary>The container format of an archive, detected from its first bytes.</summary>
public enum ArchiveFormat
{
    /// <summary>Uncompressed WARC.</summary>
    Plain,
    /// <summary>gzip: one member per record (Common Crawl), one member for the whole file, or anything between.</summary>
    Gzip,
    /// <summary>zstd per the IIPC warc-zstd spec: optional dictionary frame, one frame per record.</summary>
    Zstd,
}
