namespace CrawlGrep.Core.Scanning;

/// <summary>One match: the row shape of the <c>hits</c> table (see DESIGN.md).</summary>
public sealed record Hit
{
    public required string File { get; init; }
    public string? Crawl { get; init; }
    /// <summary>Compressed byte offset of the record in <see cref="File"/> (CC's warc_record_offset).</summary>
    public long RecordOffset { get; init; }
    /// <summary>Compressed byte length of the record (CC's warc_record_length).</summary>
    public long RecordLength { get; init; }
    public string? WarcType { get; init; }
    public string? RecordId { get; init; }
    public DateTime? WarcDate { get; init; }
    public string? TargetUri { get; init; }
    public string? Host { get; init; }
    public string? ContentType { get; init; }
    /// <summary>Index of the pattern in the scan's pattern list.</summary>
    public int PatternIndex { get; init; }
    public required string Pattern { get; init; }
    public required string Match { get; init; }
    /// <summary>Byte offset of the match in the record's decoded payload.</summary>
    public long MatchOffset { get; init; }
    /// <summary>Byte offset in the payload of the line holding the match (groups hits per line).</summary>
    public long LineOffset { get; init; }
    public required string Context { get; init; }
}
