using CrawlGrep.Core.Matching;

namespace CrawlGrep.Core.Scanning;

/// <summary>What a scan looks for and where it stops: shared by every worker of the scan.</summary>
public sealed record ScanOptions
{
    public required PatternSet Patterns { get; init; }
    public RecordFilter Filter { get; init; } = new();
    /// <summary>Stop reading an input after this many matching lines (grep -m); null: no limit.</summary>
    public long? MaxLinesPerFile { get; init; }
    /// <summary>
    /// Only which lines match is wanted (grep -c, -l, -q with no database to fill): each matching line gives one
    /// hit, without match text or context, and the matcher may skip the rest of a line once it has a match.
    /// </summary>
    public bool LinesOnly { get; init; }
    /// <summary>The context column holds at most this many bytes of the line on each side of the match.</summary>
    public int ContextBytes { get; init; } = 100;
    /// <summary>The match column is cut to this many bytes.</summary>
    public int MaxMatchBytes { get; init; } = 256;
    /// <summary>
    /// Local files are read in place through memory-mapped windows (no copy): an uncompressed one by the reader, a
    /// compressed one by its decoder; off (<c>--no-mmap</c>), they are read through buffers like every other input.
    /// </summary>
    public bool MapLocalFiles { get; init; } = true;
    /// <summary>How far a mapped window reaches past what the reader needs (small in tests, to slide often).</summary>
    internal int MapWindow { get; init; } = Sources.FileWindows.DefaultWindow;
    /// <summary>Live counters for a progress display (optional).</summary>
    public ScanProgress? Progress { get; init; }
}
