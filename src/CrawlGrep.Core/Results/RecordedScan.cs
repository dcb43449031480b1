namespace CrawlGrep.Core.Results;

/// <summary>A scan as recorded: its status, its plan (JSON; null when recorded without one) and the tasks done.</summary>
public sealed record RecordedScan(long ScanId, string Status, string? Plan, IReadOnlySet<string> DoneTasks);
