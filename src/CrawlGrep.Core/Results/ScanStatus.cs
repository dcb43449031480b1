namespace CrawlGrep.Core.Results;

/// <summary>Values of <c>scans.status</c>.</summary>
public static class ScanStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";
}
