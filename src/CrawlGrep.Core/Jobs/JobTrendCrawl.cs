namespace CrawlGrep.Core.Jobs;

/// <summary>
/// One crawl of a job's trend: what the complete runs of the job's current version found in it.
/// </summary>
/// <param name="Crawl">The crawl id (CC-MAIN-2024-33); for a job over paths, its run's start time.</param>
/// <param name="RunId">The run (the latest, should there be several).</param>
/// <param name="Hits">Matches found.</param>
/// <param name="Records">Records with at least one hit (distinct file and offset).</param>
/// <param name="Hosts">Distinct hosts of those records.</param>
/// <param name="RecordsScanned">Records the run's scan read, hits or not; null when not recorded.</param>
/// <param name="PatternHits">Matches per pattern; a pattern without hits in this crawl is absent.</param>
public sealed record JobTrendCrawl(
    string Crawl,
    long RunId,
    long Hits,
    long Records,
    long Hosts,
    long? RecordsScanned,
    IReadOnlyDictionary<string, long> PatternHits)
{
    /// <summary>The matches of <paramref name="pattern"/> in this crawl (0 when none).</summary>
    public long HitsOf(string pattern) => PatternHits.TryGetValue(pattern, out var n) ? n : 0;
}
