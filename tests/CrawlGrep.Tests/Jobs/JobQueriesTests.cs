using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Results;
using CrawlGrep.Tests.EndToEnd;

namespace CrawlGrep.Tests.Jobs;

/// <summary>The named queries over a job's results, run through crawlgrep query --job, and JobTrend.Read.</summary>
public class JobQueriesTests(JobResultsFixture fixture) : IClassFixture<JobResultsFixture>
{
    private EndToEnd.Cli.Result Query(params string[] args) =>
        EndToEnd.Cli.Run(fixture.Folder, ["query", .. args, "--db", fixture.Db, "--csv"]);

    private static string[] Ok(EndToEnd.Cli.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        return r.Lines;
    }

    [Fact]
    public void Hits_per_crawl_counts_each_pattern_and_closes_each_crawl_with_its_total()
    {
        Assert.Equal(
        [
            "crawl,pattern,hits,records,hosts",
            "CC-MAIN-2024-30,gtag,3,2,2",
            "CC-MAIN-2024-30,fbq,1,1,1",
            "CC-MAIN-2024-30,(all patterns),4,2,2",
            "CC-MAIN-2024-33,gtag,7,4,3",
            "CC-MAIN-2024-33,\"<b>&\"\"x\"\"\",1,1,1",
            "CC-MAIN-2024-33,(all patterns),8,4,3",
        ], Ok(Query("job-hits-per-crawl", "--job", "trackers")));
    }

    [Fact]
    public void New_hosts_are_those_of_the_latest_complete_crawl_never_seen_before()
    {
        Assert.Equal(
        [
            "crawl,host,hits,records,patterns",
            "CC-MAIN-2024-33,d.io,4,1,gtag",
            "CC-MAIN-2024-33,c.net,3,2,\"<b>&\"\"x\"\", gtag\"",
        ], Ok(Query("job-new-hosts", "--job", "trackers")));
        // A job with one complete crawl: every host of it is new.
        Assert.Equal(["crawl,host,hits,records,patterns", "CC-MAIN-2024-33,c.net,1,1,gtag"], Ok(Query("job-new-hosts", "--job", "ads")));
    }

    [Fact]
    public void Trend_compares_the_two_latest_complete_crawls_largest_change_first()
    {
        Assert.Equal(
        [
            "pattern,previous_crawl,previous_hits,latest_crawl,latest_hits,change,relative_change,previous_per_1k_records,latest_per_1k_records",
            "gtag,CC-MAIN-2024-30,3,CC-MAIN-2024-33,7,4,1.333,1.5,1.75",
            "fbq,CC-MAIN-2024-30,1,CC-MAIN-2024-33,0,-1,-1,0.5,0",
            "\"<b>&\"\"x\"\"\",CC-MAIN-2024-30,0,CC-MAIN-2024-33,1,1,,0,0.25",
        ], Ok(Query("job-trend", "--job", "trackers")));
        // Fewer than two complete crawls: nothing to compare.
        Assert.Equal(["pattern,previous_crawl,previous_hits,latest_crawl,latest_hits,change,relative_change,previous_per_1k_records,latest_per_1k_records"],
            Ok(Query("job-trend", "--job", "ads")));
    }

    [Fact]
    public void Job_queries_need_a_known_job_and_other_queries_take_none()
    {
        var missing = Query("job-trend");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.Equal("crawlgrep: query: query job-trend needs --job NAME", missing.Stderr.Trim());

        var unknown = Query("job-new-hosts", "--job", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("", unknown.Stdout);
        Assert.Equal($"crawlgrep: query: no job 'nope' in {fixture.Db} (jobs: ads, local, trackers)", unknown.Stderr.Trim());

        var extra = Query("top-hosts", "--job", "trackers");
        Assert.Equal(2, extra.ExitCode);
        Assert.Equal("crawlgrep: query: query top-hosts takes no --job (it does not read a job's results)", extra.Stderr.Trim());

        // Queries without $job run as before.
        Assert.Equal("host,hits,records,patterns,first_seen,last_seen", Ok(Query("top-hosts"))[0]);

        var list = EndToEnd.Cli.Run(fixture.Folder, "query", "--list");
        Assert.Equal(0, list.ExitCode);
        foreach (var name in new[] { "job-hits-per-crawl", "job-new-hosts", "job-trend", "top-hosts" })
            Assert.Contains(list.Lines, l => l.StartsWith(name + " ", StringComparison.Ordinal) && l.Length > name.Length + 10);
    }

    [Fact]
    public void Every_job_query_describes_itself_and_its_columns()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, NamedQueries.FolderName);
        foreach (var name in new[] { "job-hits-per-crawl", "job-new-hosts", "job-trend" })
        {
            var query = NamedQueries.Find(name, [folder]);
            Assert.NotNull(query);
            Assert.NotEqual("", query.Description);
            Assert.Contains("Columns:", query.ReadSql());
            Assert.Equal(["job"], NamedQuery.ParametersOf(query.ReadSql()));
        }
    }

    [Fact]
    public void Parameters_are_found_outside_strings_identifiers_and_comments()
    {
        Assert.Equal(["job", "crawl"], NamedQuery.ParametersOf("SELECT * FROM t WHERE job = $job AND c = $Crawl OR j = $JOB"));
        Assert.Empty(NamedQuery.ParametersOf("""
            -- uses $job in a comment
            /* and $job here */
            SELECT '$job', "$job", $$ $job $$, $t$ $job $t$, $1, ?, a$b FROM t
            """));
        Assert.Equal(["x"], NamedQuery.ParametersOf("SELECT 'it''s $no', $x"));
    }

    [Fact]
    public void Trend_reads_the_complete_crawls_of_the_current_version()
    {
        var trend = JobTrend.Read(fixture.Db, JobResultsFixture.Job);
        Assert.Equal("trackers", trend.Job);
        Assert.Equal(["CC-MAIN-2024-30", "CC-MAIN-2024-33"], trend.Crawls.Select(c => c.Crawl));
        Assert.Equal(["gtag", "fbq", JobResultsFixture.Special], trend.Patterns);

        var (first, last) = (trend.Crawls[0], trend.Crawls[1]);
        Assert.Equal((1L, 4L, 2L, 2L, (long?)2000), (first.RunId, first.Hits, first.Records, first.Hosts, first.RecordsScanned));
        Assert.Equal((2L, 8L, 4L, 3L, (long?)4000), (last.RunId, last.Hits, last.Records, last.Hosts, last.RecordsScanned));
        Assert.Equal([3L, 1L, 0L], trend.Patterns.Select(first.HitsOf));
        Assert.Equal([7L, 0L, 1L], trend.Patterns.Select(last.HitsOf));
        Assert.Same(last, trend.Latest);
        Assert.Same(first, trend.Previous);

        Assert.Equal(
        [
            new JobTrendHost("d.io", 4, null),
            new JobTrendHost("c.net", 3, null),
            new JobTrendHost("a.com", 1, 3),
        ], trend.TopHosts);
    }

    [Fact]
    public void A_path_jobs_runs_are_labelled_by_start_time_and_a_run_without_hits_still_counts()
    {
        var lines = Ok(Query("job-hits-per-crawl", "--job", "local"));
        Assert.Equal(["crawl,pattern,hits,records,hosts", "2024-10-01T10:00,(all patterns),0,0,0", "2024-10-02T10:00,needle,153,17,17",
            "2024-10-02T10:00,(all patterns),153,17,17"], lines);

        var trend = JobTrend.Read(fixture.Db, "local");
        Assert.Equal(["2024-10-01T10:00", "2024-10-02T10:00"], trend.Crawls.Select(c => c.Crawl));
        Assert.Equal([0L, 153L], trend.Crawls.Select(c => c.Hits));
        Assert.Equal(["needle"], trend.Patterns);
        // The top 15 of 17 hosts, none of which had hits in the run before.
        Assert.Equal(JobTrend.TopHostCount, trend.TopHosts.Count);
        Assert.Equal(Enumerable.Range(3, 15).Reverse().Select(n => new JobTrendHost($"host-{n:00}", n, null)), trend.TopHosts);

        var change = Ok(Query("job-trend", "--job", "local"));
        Assert.Equal("needle,2024-10-01T10:00,0,2024-10-02T10:00,153,153,,0,510", change[1]);
    }

    [Fact]
    public void Trend_of_a_missing_database_or_job_is_a_clear_error()
    {
        var job = Assert.Throws<ResultStoreException>(() => JobTrend.Read(fixture.Db, "nope"));
        Assert.Equal($"no job 'nope' in {fixture.Db} (jobs: ads, local, trackers)", job.Message);

        var file = Path.Combine(fixture.Folder, "absent.duckdb");
        var db = Assert.Throws<ResultStoreException>(() => JobTrend.Read(file, "trackers"));
        Assert.Contains("no result database", db.Message);
        Assert.False(File.Exists(file));
    }
}
