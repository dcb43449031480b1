using CrawlGrep.Core.Compression;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// The part of an input one scan covers: it owns every record whose first byte (the start of its gzip member,
/// zstd frame or plain record) lies in [<see cref="Start"/>, <see cref="End"/>). It reads past
/// <see cref="End"/> to finish its last record, so the slices of any split see every record exactly once.
/// </summary>
/// <param name="Format">The input's format, as the planner found it at the head of the file.</param>
/// <param name="Crawl">The crawl name the planner read from the file's head (for slices that do not start there).</param>
public sealed record ScanSlice(long Start, long End, ArchiveFormat Format, string? Crawl = null)
{
    public long Length => End - Start;

    /// <summary>
    /// A record-list slice owns these records only (sorted by offset, each offset once), wherever in
    /// <see cref="Reads"/> they are; null: every record that starts in [Start, End).
    /// </summary>
    public IReadOnlyList<FileExtent>? Records { get; init; }

    /// <summary>The ranges a record-list slice reads, one request each, sorted and apart.</summary>
    public IReadOnlyList<FileExtent>? Reads { get; init; }
}
