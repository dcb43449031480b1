using System.Globalization;

namespace CrawlGrep.Core.Jobs;

/// <summary>The time job commands take as now: the wall clock, or <c>CRAWLGREP_NOW</c> (an ISO 8601 UTC time) so schedules can be tested.</summary>
public static class JobClock
{
    public const string Variable = "CRAWLGREP_NOW";

    public static DateTime Now()
    {
        string? fixedTime = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fixedTime)
            && DateTime.TryParse(fixedTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return DateTime.SpecifyKind(t, DateTimeKind.Utc);
        return DateTime.UtcNow;
    }
}
