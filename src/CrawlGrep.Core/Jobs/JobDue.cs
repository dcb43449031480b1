using Cronos;

namespace CrawlGrep.Core.Jobs;

/// <summary>When a schedule next falls due (Cronos, in the schedule's time zone).</summary>
public static class JobDue
{
    /// <summary>The first time of <paramref name="schedule"/> after <paramref name="after"/> (UTC), or null when it never comes.</summary>
    public static DateTime? Next(JobSchedule schedule, DateTime after)
    {
        var fields = schedule.Cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var cron = CronExpression.Parse(schedule.Cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        return cron.GetNextOccurrence(DateTime.SpecifyKind(after, DateTimeKind.Utc), zone);
    }

    /// <summary>Whether a schedule time has come since <paramref name="checkedAt"/>, up to <paramref name="now"/>.</summary>
    public static bool IsDue(JobSchedule schedule, DateTime checkedAt, DateTime now) => Next(schedule, checkedAt) is { } next && next <= now;
}
