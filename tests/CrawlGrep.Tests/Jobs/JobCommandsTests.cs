using DuckDB.NET.Data;
using Xunit;

namespace CrawlGrep.Tests.Jobs;

/// <summary>The job commands around a run: new, status, list, report, the Parquet export per run, install-timer.</summary>
public sealed class JobCommandsTests
{
    [Fact]
    public void Job_new_writes_a_commented_file_that_reads_and_refuses_to_overwrite_it()
    {
        using var layout = new JobLayout();
        var made = layout.Run("job", "new", "tracker-study");
        Assert.True(made.ExitCode == 0, made.Stderr);
        string file = Path.Combine(layout.Jobs, "tracker-study.toml");
        string text = File.ReadAllText(file);
        Assert.Contains("name = \"tracker-study\"", text);
        Assert.Contains("#", text);
        Assert.Equal("tracker-study", Core.Jobs.JobFile.Read(file).Name);
        var again = layout.Run("job", "new", "tracker-study");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists", again.Stderr);
    }

    [Fact]
    public void A_run_exports_its_hits_to_parquet_and_status_list_and_report_show_the_crawls()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-30", new DateTime(2024, 7, 12));
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-30", files: 1);
        layout.Publish("CC-MAIN-2024-33", files: 2);
        string file = layout.WriteJob("two", "name = \"two\"\npatterns = [\"facebook\", \"linkedin\"]\n" +
            layout.CrawlInput("[\"CC-MAIN-2024-30\", \"2024-33\"]") + "[output]\nparquet = \"exports/{job}-{crawl}.parquet\"\n");

        var run = layout.Run("job", "run", file);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, run.Lines.Length);
        var runs = layout.Query("SELECT crawl, hits, parquet FROM job_runs ORDER BY crawl");
        Assert.Equal(2, runs.Count);
        foreach (var r in runs)
        {
            string parquet = (string)r[2]!;
            Assert.Equal(Path.Combine(layout.Jobs, "exports", $"two-{r[0]}.parquet"), parquet);
            using var duck = new DuckDBConnection("Data Source=:memory:");
            duck.Open();
            using var cmd = duck.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM read_parquet('{parquet}')";
            Assert.Equal(Convert.ToInt64(r[1]), Convert.ToInt64(cmd.ExecuteScalar()));
        }
        // Twice the files, twice the hits: the second crawl's bar is the longer one.
        Assert.Equal(2 * Convert.ToInt64(runs[0][1]), Convert.ToInt64(runs[1][1]));

        var again = layout.Run("job", "run", file);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("nothing to do", again.Stderr);
        Assert.Equal(2, layout.Scalar("SELECT count(*) FROM job_runs"));

        var status = layout.Run("job", "status", file);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("2 complete", status.Stdout);
        Assert.Contains("crawls done  CC-MAIN-2024-30, CC-MAIN-2024-33", status.Stdout);
        var bars = status.Stdout.Split('\n').Where(l => l.TrimStart().StartsWith("CC-MAIN-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, bars.Count);
        Assert.True(bars[1].Count(c => c == '█') > bars[0].Count(c => c == '█'));

        var list = layout.Run("job", "list", "--db", layout.Database, "--csv");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.StartsWith("job,version,runs,complete", list.Lines[0]);
        Assert.StartsWith("two,", list.Lines[1]);

        string html = Path.Combine(layout.Root, "report.html");
        var report = layout.Run("job", "report", "two", "--db", layout.Database, "-o", html);
        Assert.True(report.ExitCode == 0, report.Stderr);
        string page = File.ReadAllText(html);
        Assert.Contains("CC-MAIN-2024-33", page);
        Assert.Equal(4, page.Split("class=\"bar\"").Length - 1);
    }

    [Fact]
    public void Install_timer_prints_a_cron_line_and_systemd_units_that_tick_the_folder()
    {
        using var layout = new JobLayout();
        var cron = layout.Run("job", "install-timer", layout.Jobs, "--every", "10");
        Assert.True(cron.ExitCode == 0, cron.Stderr);
        Assert.Single(cron.Lines);
        Assert.StartsWith("*/10 * * * * cd ", cron.Lines[0]);
        Assert.Contains($"job tick {layout.Jobs}", cron.Lines[0]);
        Assert.Contains("crawlgrep.dll", cron.Lines[0]);

        var units = layout.Run("job", "install-timer", layout.Jobs, "--systemd");
        Assert.True(units.ExitCode == 0, units.Stderr);
        Assert.Contains("OnCalendar=*:0/15", units.Stdout);
        Assert.Contains($"ExecStart=", units.Stdout);
        Assert.Contains("[Install]", units.Stdout);
    }
}
