namespace CrawlGrep.Core.Planning;

/// <summary>
/// Which files of a crawl to read. Applied in this order: <see cref="Segment"/>, then <see cref="Sample"/>, then
/// <see cref="Files"/>; the result keeps the order of the crawl's paths list.
/// </summary>
public sealed record CrawlSelection
{
    /// <summary>"latest", a crawl id (<c>CC-MAIN-2024-33</c>, any case) or its year-week (<c>2024-33</c>).</summary>
    public required string Crawl { get; init; }

    public CrawlFileType Type { get; init; } = CrawlFileType.Warc;

    /// <summary>Only files of this segment (the <c>/segments/{id}/</c> part of a path), when set.</summary>
    public string? Segment { get; init; }

    /// <summary>A random sample of this many files, fixed by <see cref="Seed"/>, when set.</summary>
    public int? Sample { get; init; }

    /// <summary>Picks the sample: the same seed picks the same files from the same list.</summary>
    public long Seed { get; init; }

    /// <summary>Only the first this many files, when set.</summary>
    public int? Files { get; init; }
}
