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

/// <summary>The names formats go by in task files, the tasks table and --stats: the usual file suffixes.</summary>
public static class ArchiveFormats
{
    public static string Name(ArchiveFormat format) => format switch
    {
        ArchiveFormat.Gzip => "warc.gz",
        ArchiveFormat.Zstd => "warc.zst",
        _ => "warc",
    };

    public static ArchiveFormat? Parse(string? name) => name switch
    {
        "warc.gz" => ArchiveFormat.Gzip,
        "warc.zst" => ArchiveFormat.Zstd,
        "warc" => ArchiveFormat.Plain,
        _ => null,
    };
}
