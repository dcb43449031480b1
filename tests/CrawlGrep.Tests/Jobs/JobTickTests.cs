using System.Diagnostics;
using CrawlGrep.Core.Jobs;
using Xunit;

namespace CrawlGrep.Tests.Jobs;

/// <summary>
/// Jobs run as a scheduler runs them: <c>crawlgrep job tick DIR</c> processes against a local Common Crawl layout,
/// on a clock the test sets. Due and not due, each new crawl exactly once, a killed run resumed to exactly the hits
/// of an uninterrupted one, two ticks at once.
/// </summary>
public sealed class JobTickTests
{
    private const string Question = "name = \"{0}\"\npatterns = [\"facebook\", \"linkedin\"]\n";

    [Fact]
    public void A_due_job_runs_and_a_job_not_due_does_not()
    {
        using var layout = new JobLayout();
        Directory.CreateDirectory(Path.Combine(layout.Root, "archives"));
        File.Copy(JobLayout.SamplePath(), Path.Combine(layout.Root, "archives", "a.warc.gz"));
        layout.WriteJob("daily", string.Format(Question, "daily") + "[input]\npaths = [\"../archives\"]\n[schedule]\ncron = \"0 6 * * *\"\n");

        // First sight at 05:00: the job is recorded; its first time is 06:00.
        layout.Now = new DateTime(2026, 12, 1, 5, 0, 0, DateTimeKind.Utc);
        var first = layout.Run("job", "tick", ".");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(0, layout.Scalar("SELECT count(*) FROM job_runs"));
        layout.Now = layout.Now.AddMinutes(50);
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(0, layout.Scalar("SELECT count(*) FROM job_runs"));

        layout.Now = new DateTime(2026, 12, 1, 6, 10, 0, DateTimeKind.Utc);
        var due = layout.Run("job", "tick", ".");
        Assert.True(due.ExitCode == 0, due.Stderr);
        Assert.Contains("daily", due.Stdout);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs WHERE status = 'complete'"));
        long hits = layout.Scalar("SELECT hits FROM job_runs");
        Assert.True(hits > 0);
        Assert.Equal(hits, layout.Scalar("SELECT count(*) FROM hits"));

        // Not due again until tomorrow's 06:00, however often the tick runs.
        foreach (var at in new[] { new DateTime(2026, 12, 1, 7, 0, 0), new DateTime(2026, 12, 2, 5, 59, 0) })
        {
            layout.Now = DateTime.SpecifyKind(at, DateTimeKind.Utc);
            Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
            Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs"));
        }
        layout.Now = new DateTime(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(2, layout.Scalar("SELECT count(*) FROM job_runs WHERE status = 'complete'"));

        var status = layout.Run("job", "status", "daily.toml");
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("2 complete", status.Stdout);
        Assert.Contains("next due     2026-12-03 06:00 UTC", status.Stdout);
    }

    [Fact]
    public void A_scheduled_crawl_job_starts_a_new_crawl_at_its_time_and_status_lists_it_to_do_until_then()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-33", files: 1);
        layout.WriteJob("nightly", string.Format(Question, "nightly") + layout.CrawlInput("each-new") + "[schedule]\ncron = \"0 6 * * *\"\n");

        layout.Now = new DateTime(2026, 12, 1, 6, 5, 0, DateTimeKind.Utc);
        Assert.Equal(0, layout.Run("job", "run", "nightly.toml").ExitCode);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs WHERE status = 'complete'"));

        // A new crawl at 09:00: not started before the next 06:00, and status says it waits.
        layout.AddCrawl("CC-MAIN-2024-38", new DateTime(2024, 9, 7));
        layout.Publish("CC-MAIN-2024-38", files: 1);
        layout.Now = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs"));
        var status = layout.Run("job", "status", "nightly.toml");
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("to do        CC-MAIN-2024-38: at the next due time", status.Stdout);
        Assert.Contains("next due     2026-12-02 06:00 UTC", status.Stdout);

        layout.Now = new DateTime(2026, 12, 2, 6, 0, 30, DateTimeKind.Utc);
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(2, layout.Scalar("SELECT count(*) FROM job_runs WHERE status = 'complete'"));
        Assert.DoesNotContain("to do", layout.Run("job", "status", "nightly.toml").Stdout);
    }

    [Fact]
    public void Each_new_runs_on_a_new_crawl_once_and_waits_for_its_file_list()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-30", new DateTime(2024, 7, 12));
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-30", files: 2);
        layout.Publish("CC-MAIN-2024-33", files: 3);
        layout.WriteJob("watch", string.Format(Question, "watch") + layout.CrawlInput("each-new"));

        // The newest crawl when the job is first seen is its first.
        var first = layout.Run("job", "tick", ".");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(["CC-MAIN-2024-33"], Crawls(layout));
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(["CC-MAIN-2024-33"], Crawls(layout));

        // A crawl listed before its files are: waited for, not recorded.
        layout.AddCrawl("CC-MAIN-2024-38", new DateTime(2024, 9, 7));
        for (int i = 0; i < 2; i++)
        {
            var waiting = layout.Run("job", "tick", ".");
            Assert.True(waiting.ExitCode == 0, waiting.Stderr);
            Assert.Contains("CC-MAIN-2024-38: its file list is not published yet", waiting.Stderr);
            Assert.Equal(["CC-MAIN-2024-33"], Crawls(layout));
        }
        layout.Publish("CC-MAIN-2024-38", files: 2);
        for (int i = 0; i < 3; i++) Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(["CC-MAIN-2024-33", "CC-MAIN-2024-38"], Crawls(layout));
        Assert.Equal(0, layout.Scalar("SELECT count(*) FROM job_runs WHERE status <> 'complete'"));
        Assert.Equal(layout.Scalar("SELECT sum(hits) FROM job_runs"), layout.Scalar("SELECT count(*) FROM hits"));

        // A new question (another pattern) is a new version: it runs the job's crawls again; the old results stay.
        long oldHits = layout.Scalar("SELECT count(*) FROM hits");
        layout.WriteJob("watch", "name = \"watch\"\npatterns = [\"facebook\", \"linkedin\", \"privacy\"]\n" + layout.CrawlInput("each-new"));
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(2, layout.Scalar("SELECT count(DISTINCT version) FROM job_runs"));
        Assert.Equal(4, layout.Scalar("SELECT count(*) FROM job_runs WHERE status = 'complete'"));
        Assert.Equal(oldHits, layout.Scalar("SELECT count(*) FROM hits h JOIN job_runs r USING (scan_id) WHERE r.version <> (SELECT version FROM jobs)"));
        Assert.Equal(2, layout.Scalar("SELECT count(DISTINCT run_crawl) FROM job_hits"));
    }

    [Fact]
    public void A_run_killed_mid_scan_is_resumed_by_the_next_tick_to_exactly_the_hits_of_an_uninterrupted_run()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-33", files: 12, copies: 12);
        // A pattern without a literal makes every line go through the regex: a scan slow enough to be killed in.
        string job = "name = \"big\"\npatterns = [\"facebook\", \"linkedin\", '\\w{30,}']\n" + layout.CrawlInput("latest") + "[executor]\nthreads = 1\n";
        layout.WriteJob("big", job);

        // The reference: the same job, uninterrupted, into another database.
        string refDir = Path.Combine(layout.Root, "reference");
        Directory.CreateDirectory(refDir);
        File.WriteAllText(Path.Combine(refDir, "big.toml"), job + "[output]\ndatabase = \"ref.duckdb\"\n");
        var reference = layout.Run("job", "run", Path.Combine(refDir, "big.toml"));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        string refDb = Path.Combine(refDir, "ref.duckdb");
        var expected = layout.Hits(layout.Scalar("SELECT scan_id FROM job_runs", refDb), refDb);
        Assert.NotEmpty(expected);

        // Killed once some of its tasks are recorded, and before all are.
        using (var tick = layout.Start("job", "tick", "."))
        {
            _ = tick.StandardOutput.ReadToEndAsync(); // drained, so a full pipe never holds the tick up
            _ = tick.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            long done = 0;
            while (clock.Elapsed < TimeSpan.FromMinutes(2) && !tick.HasExited)
            {
                if (File.Exists(layout.Database))
                {
                    done = layout.Scalar("SELECT count(*) FROM tasks WHERE status = 'done'");
                    if (done >= 2) break;
                }
                Thread.Sleep(200); // each look takes the file for a moment: not too often
            }
            Assert.False(tick.HasExited, "the tick ended before it could be killed");
            tick.Kill(); // SIGKILL: no handler runs, nothing is closed
            tick.WaitForExit();
        }
        Assert.Equal("running", layout.Query("SELECT status FROM job_runs")[0][0]);
        Assert.True(layout.Scalar("SELECT count(*) FROM tasks WHERE status = 'done'") < 12, "every task finished before the kill");

        var resumed = layout.Run("job", "tick", ".");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming run 1", resumed.Stderr);
        var run = layout.Query("SELECT status, attempts, scan_id FROM job_runs");
        Assert.Single(run);
        Assert.Equal("complete", run[0][0]);
        Assert.Equal(2, Convert.ToInt32(run[0][1]));
        Assert.Equal(expected, layout.Hits(Convert.ToInt64(run[0][2])));
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM scans"));

        // Done is done: the next tick has nothing to do.
        Assert.Equal(0, layout.Run("job", "tick", ".").ExitCode);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs"));
    }

    [Fact]
    public void Two_ticks_started_together_run_the_job_once()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-33", files: 6, copies: 4);
        layout.WriteJob("race", string.Format(Question, "race") + layout.CrawlInput("latest") + "[executor]\nthreads = 1\n");

        using var a = layout.Start("job", "tick", ".");
        using var b = layout.Start("job", "tick", ".");
        var errA = a.StandardError.ReadToEndAsync();
        var errB = b.StandardError.ReadToEndAsync();
        Assert.True(a.WaitForExit(120_000) && b.WaitForExit(120_000));
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, errA.Result + errB.Result);

        var runs = layout.Query("SELECT status, scan_id FROM job_runs");
        Assert.Single(runs);
        Assert.Equal("complete", runs[0][0]);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM scans"));
        Assert.Equal(layout.Scalar("SELECT hits FROM job_runs"), layout.Scalar("SELECT count(*) FROM hits"));
        Assert.Equal(0, layout.Scalar("SELECT count(*) FROM (SELECT file, record_offset, match_offset, pattern_index FROM hits GROUP BY ALL HAVING count(*) > 1)"));
    }

    [Fact]
    public void A_lock_is_held_while_its_holder_lives_and_freed_when_it_dies()
    {
        using var dir = new EndToEnd.TempDir();
        string db = dir.File("r.duckdb");
        using (var held = JobLock.TryTake(db, "j"))
        {
            Assert.NotNull(held);
            Assert.True(JobLock.IsHeld(db, "j"));
            Assert.Null(JobLock.TryTake(db, "j"));
            using (var other = JobLock.TryTake(db, "other")) Assert.NotNull(other);
        }
        Assert.False(JobLock.IsHeld(db, "j"));
        using var again = JobLock.TryTake(db, "j");
        Assert.NotNull(again);
    }

    private static List<string> Crawls(JobLayout layout) =>
        layout.Query("SELECT crawl FROM job_runs WHERE status = 'complete' AND version = (SELECT version FROM jobs) ORDER BY crawl").Select(r => (string)r[0]!).ToList();
}
