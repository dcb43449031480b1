namespace CrawlGrep.Core.Jobs;

/// <summary>A job as the database knows it: the version its file last had, and what the schedule has handled.</summary>
/// <param name="SinceCrawl">each-new: the first crawl the job covers (every version covers the same crawls).</param>
/// <param name="ScheduleCheckedAt">Schedule times up to this one have been handled: the next due time comes after it.</param>
public sealed record JobRecord(string Job, string Version, string ContentHash, string File, string? SinceCrawl, string? Schedule,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime ScheduleCheckedAt);
