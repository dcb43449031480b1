namespace CrawlGrep.Core.Jobs;

/// <summary>One run of a job version: on one crawl (<see cref="Crawl"/>), or on the job's paths (null).</summary>
/// <param name="Attempts">How many times it was started: the first try and each resume.</param>
public sealed record JobRun(long RunId, string Job, string Version, string? Crawl, long? ScanId, string Status, int Attempts,
    DateTime StartedAt, DateTime? FinishedAt, long? Hits, double? CostUsd, string? Error, string? Parquet)
{
    public const string Running = "running", Complete = "complete", Incomplete = "incomplete", Failed = "failed";

    /// <summary>Tries a run gets from ticks before it is left failed (a <c>job run</c> by hand tries it again).</summary>
    public const int MaxAttempts = 3;

    public TimeSpan? Duration => FinishedAt - StartedAt;

    /// <summary>The label of its crawl: the crawl id, or a path job's start time.</summary>
    public string Label => Crawl ?? StartedAt.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
