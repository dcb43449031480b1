using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Planning;
using Xunit;

namespace CrawlGrep.Tests.Jobs;

/// <summary>The rules of what a job does now, on their own: nothing is read or run.</summary>
public sealed class JobAgendaTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 5, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Crawls = ["CC-MAIN-2024-38", "CC-MAIN-2024-33", "CC-MAIN-2024-30"];

    private static JobDefinition Job(JobCrawlMode? mode, string? cron = null, params string[] ids) => new()
    {
        Name = "j", File = "/j.toml", Database = "/r.duckdb", Version = "v1", ContentHash = "h", Text = "",
        Spec = new ScanSpec { Patterns = new TaskPatterns { Items = ["x"] } },
        Input = mode is { } m ? new JobInput { Crawl = new JobCrawls { Mode = m, Ids = ids } } : new JobInput { Paths = ["/a"] },
        Schedule = cron is null ? null : new JobSchedule(cron, "UTC"),
    };

    private static JobRecord Record(string? since = null) => new("j", "v1", "h", "/j.toml", since, null, T0, T0, T0);

    private static JobRun Run(string? crawl, string status, int attempts = 1) => new(1, "j", "v1", crawl, 7, status, attempts, T0, null, null, null, null, null);

    [Fact]
    public void Each_new_starts_every_crawl_from_its_first_oldest_first_and_skips_those_done()
    {
        var agenda = JobAgenda.Plan(Job(JobCrawlMode.EachNew), Record("CC-MAIN-2024-30"), [Run("CC-MAIN-2024-33", JobRun.Complete)], Crawls, null, T0, byHand: false);
        Assert.Equal(["CC-MAIN-2024-30", "CC-MAIN-2024-38"], agenda.Start);
        Assert.Empty(agenda.Resume);
    }

    [Fact]
    public void An_unfinished_run_is_resumed_not_started_again_and_a_tick_leaves_a_failed_one()
    {
        var runs = new[] { Run("CC-MAIN-2024-38", JobRun.Running), Run("CC-MAIN-2024-33", JobRun.Failed, JobRun.MaxAttempts) };
        var tick = JobAgenda.Plan(Job(JobCrawlMode.EachNew), Record("CC-MAIN-2024-33"), runs, Crawls, null, T0, byHand: false);
        Assert.Equal(["CC-MAIN-2024-38"], tick.Resume.Select(r => r.Crawl));
        Assert.Empty(tick.Start);
        var byHand = JobAgenda.Plan(Job(JobCrawlMode.EachNew), Record("CC-MAIN-2024-33"), runs, Crawls, null, T0, byHand: true);
        Assert.Equal(["CC-MAIN-2024-38", "CC-MAIN-2024-33"], byHand.Resume.Select(r => r.Crawl));
    }

    [Fact]
    public void A_schedule_gates_a_tick_and_not_a_run_by_hand()
    {
        var job = Job(JobCrawlMode.Latest, "0 6 * * *");
        Assert.Empty(JobAgenda.Plan(job, Record(), [], Crawls, null, T0.AddMinutes(59), byHand: false).Start);
        var due = JobAgenda.Plan(job, Record(), [], Crawls, null, T0.AddHours(1), byHand: false);
        Assert.True(due.Due);
        Assert.Equal(["CC-MAIN-2024-38"], due.Start);
        Assert.Equal(["CC-MAIN-2024-38"], JobAgenda.Plan(job, Record(), [], Crawls, null, T0, byHand: true).Start);
        // The latest crawl done is done, due or not.
        Assert.Empty(JobAgenda.Plan(job, Record(), [Run("CC-MAIN-2024-38", JobRun.Complete)], Crawls, null, T0.AddHours(1), byHand: false).Start);
    }

    [Fact]
    public void A_path_job_runs_when_due_or_by_hand_and_never_twice_while_one_is_unfinished()
    {
        var job = Job(null, "*/30 * * * *");
        Assert.Empty(JobAgenda.Plan(job, Record(), [], null, null, T0.AddMinutes(10), byHand: false).Start);
        Assert.Equal([null], JobAgenda.Plan(job, Record(), [], null, null, T0.AddMinutes(30), byHand: false).Start);
        Assert.Equal([null], JobAgenda.Plan(Job(null), Record(), [Run(null, JobRun.Complete)], null, null, T0, byHand: true).Start);
        Assert.Empty(JobAgenda.Plan(Job(null), Record(), [], null, null, T0.AddDays(3), byHand: false).Start);
        var unfinished = JobAgenda.Plan(job, Record(), [Run(null, JobRun.Incomplete)], null, null, T0.AddMinutes(30), byHand: false);
        Assert.Single(unfinished.Resume);
        Assert.Empty(unfinished.Start);
    }

    [Fact]
    public void Named_crawls_run_once_each()
    {
        var agenda = JobAgenda.Plan(Job(JobCrawlMode.Named, null, "2024-30", "2024-33"), Record(), [Run("CC-MAIN-2024-30", JobRun.Complete)], Crawls,
            ["CC-MAIN-2024-30", "CC-MAIN-2024-33"], T0, byHand: false);
        Assert.Equal(["CC-MAIN-2024-33"], agenda.Start);
    }
}
