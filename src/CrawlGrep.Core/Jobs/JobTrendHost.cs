namespace CrawlGrep.Core.Jobs;

/// <summary>A host of a job's latest crawl, with its matches there and in the crawl before.</summary>
/// <param name="Host">The host.</param>
/// <param name="Hits">Its matches in the latest crawl.</param>
/// <param name="PreviousHits">Its matches in the previous crawl; null when it had none there, or there is no previous crawl.</param>
public sealed record JobTrendHost(string Host, long Hits, long? PreviousHits);
