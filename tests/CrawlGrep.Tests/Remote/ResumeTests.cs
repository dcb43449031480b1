using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Remote;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// A permanently failing object ends as failed tasks; the rest of the scan completes, the exit code and the scans
/// row say it is incomplete, and <c>crawlgrep resume</c>, once the fault is gone, runs only what is left and leaves
/// the result file holding exactly the hits of a scan that never failed.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class ResumeTests(S3rver fixture, ITestOutputHelper output)
{
    private const string Bucket = "resume";

    private static Dictionary<string, string?> Env(string? extra = null) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3rver.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rver.SecretKey,
        ["CRAWLGREP_RETRY_BASE_MS"] = "1",
        ["XDG_CACHE_HOME"] = extra,
    };

    private (string A, string B)? Setup(out S3rver? server)
    {
        server = null;
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return null;
        server = s3;
        s3.CreateBucket(Bucket);
        var gz = RemoteScan.GeneratedFiles.Single(f => f.EndsWith(".warc.gz"));
        s3.Upload(Bucket, "crawl/a.warc.gz", gz);
        s3.Upload(Bucket, "crawl/b.warc.gz", RealData.PathOf("resiliparse/warcfile.warc.gz"));
        return ($"s3://{Bucket}/crawl/a.warc.gz", $"s3://{Bucket}/crawl/b.warc.gz");
    }

    private static string HitRows(string dir, string db) =>
        string.Join('\n', Cli.Run(dir, "sql", "--db", db, "--csv", "SELECT file, record_offset, record_length, pattern_index, match_offset FROM hits ORDER BY ALL").Lines);

    [Fact]
    public void An_input_that_cannot_be_read_fails_alone_and_resume_completes_the_scan()
    {
        if (Setup(out var s3) is not var (a, b) || s3 is null) return;
        using var tmp = new TempDir();
        using var proxy = new FaultProxy(s3.Endpoint, new FaultPlan { AlwaysFail = t => t.Contains("/crawl/b.") });
        var clean = Cli.Run(tmp.Path, Env(tmp.Path), "--db", "clean.duckdb", "-c", "--s3-endpoint", s3.Endpoint, "-i", "the", a, b);
        Assert.Equal(0, clean.ExitCode);

        var failed = Cli.Run(tmp.Path, Env(tmp.Path), "--db", "r.duckdb", "-c", "--split", "300K", "--retries", "3", "--s3-endpoint", proxy.BaseUrl, "-i", "the", a, b);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains($"{b}: 503", failed.Stderr);
        Assert.Contains(failed.Lines, l => l.StartsWith($"{a}:") && !l.EndsWith(":0")); // the rest of the scan completed
        Assert.Equal("incomplete", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT status FROM scans WHERE scan_id = 1").Lines[1]);

        // Still failing: resume says so and the scan stays incomplete.
        var again = Cli.Run(tmp.Path, Env(tmp.Path), "resume", "1", "--db", "r.duckdb", "-c", "--retries", "2");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("1 inputs planned again, 1 still unreadable", again.Stderr);

        proxy.Plan = FaultPlan.None;
        var resumed = Cli.Run(tmp.Path, Env(tmp.Path), "resume", "1", "--db", "r.duckdb", "-c");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        // It scanned the one input left (-c of one input prints its count alone, as grep does).
        Assert.Equal([clean.Lines.Single(l => l.StartsWith(b + ":"))[(b.Length + 1)..]], resumed.Lines);
        Assert.Equal("complete", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT status FROM scans WHERE scan_id = 1").Lines[1]);
        Assert.Equal(HitRows(tmp.Path, "clean.duckdb"), HitRows(tmp.Path, "r.duckdb"));
        var totals = Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT hits = (SELECT count(*) FROM hits), errors FROM scans");
        Assert.Equal("true,0", totals.Lines[1]);
    }

    [Fact]
    public void Tasks_that_fail_mid_file_are_run_again_by_resume_without_doubling_the_hits_kept()
    {
        if (Setup(out var s3) is not var (a, b) || s3 is null) return;
        using var tmp = new TempDir();
        var clean = Cli.Run(tmp.Path, Env(tmp.Path), "--db", "clean.duckdb", "-c", "--s3-endpoint", s3.Endpoint, "-i", "the", a, b);
        Assert.Equal(0, clean.ExitCode);

        using var proxy = new FaultProxy(s3.Endpoint);
        var plan = Cli.Run(tmp.Path, Env(tmp.Path), "plan", "--db", "r.duckdb", "--split", "200K", "--s3-endpoint", proxy.BaseUrl, "-i", "the", a, b, "-o", "plan.json");
        Assert.Equal(0, plan.ExitCode);
        // The plan's endpoint is kept in it: run and resume reach the proxy without being told again.
        int reads = 0;
        proxy.Plan = new FaultPlan { AlwaysFail = t => t.Contains("/crawl/a.") && Interlocked.Increment(ref reads) > 4 };
        var run = Cli.Run(tmp.Path, Env(tmp.Path), "run", "plan.json", "-c", "-j", "1", "--retries", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{a}: read failed at offset", run.Stderr);
        var tasks = Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv",
            "SELECT count(*) FILTER (status = 'done'), count(*) FILTER (status = 'failed'), count(DISTINCT task_id) FROM tasks WHERE source = '" + a + "'");
        var counts = tasks.Lines[1].Split(',').Select(int.Parse).ToArray();
        Assert.True(counts[0] >= 1 && counts[1] >= 1, $"some tasks of {a} should be done and some failed: {tasks.Lines[1]}");
        output.WriteLine($"{a}: {counts[0]} tasks done, {counts[1]} failed before the resume");

        proxy.Plan = FaultPlan.None;
        var resumed = Cli.Run(tmp.Path, Env(tmp.Path), "resume", "1", "--db", "r.duckdb", "-c");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"{counts[1]} of", resumed.Stderr);
        Assert.Equal(HitRows(tmp.Path, "clean.duckdb"), HitRows(tmp.Path, "r.duckdb"));
        // No task is left failed, none is recorded twice, and the scan is whole.
        Assert.Equal("0,0", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv",
            "SELECT count(*) FILTER (status = 'failed'), count(*) - count(DISTINCT task_id) FROM tasks").Lines[1]);
        Assert.Equal("complete,0", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT status, errors FROM scans").Lines[1]);
        Assert.Equal(0, Cli.Run(tmp.Path, Env(tmp.Path), "resume", "1", "--db", "r.duckdb").ExitCode);
    }

    /// <summary>The managed stacks of a process that hangs, where dotnet-stack is installed (CRAWLGREP_DOTNET_STACK names it).</summary>
    private static string Stacks(int pid)
    {
        string? tool = Environment.GetEnvironmentVariable("CRAWLGREP_DOTNET_STACK");
        if (tool is null || !File.Exists(tool)) return "(no stacks: set CRAWLGREP_DOTNET_STACK to a dotnet-stack)";
        var psi = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "report", "-p", pid.ToString() }) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit(30_000);
        return o.Result + e.Result;
    }

    [Fact]
    public async Task An_interrupted_scan_stops_at_once_and_resume_runs_what_it_had_not_finished()
    {
        if (Setup(out var s3) is not var (a, b) || s3 is null) return;
        using var tmp = new TempDir();
        var clean = Cli.Run(tmp.Path, Env(tmp.Path), "--db", "clean.duckdb", "-c", "--s3-endpoint", s3.Endpoint, "-i", "the", a, b);
        Assert.Equal(0, clean.ExitCode);

        // Planned while the network is fine; then every body stalls, and the run hangs on the network until Ctrl-C.
        using var proxy = new FaultProxy(s3.Endpoint);
        Assert.Equal(0, Cli.Run(tmp.Path, Env(tmp.Path), "plan", "--db", "r.duckdb", "--split", "200K", "--s3-endpoint", proxy.BaseUrl, "-i", "the", a, b, "-o", "plan.json").ExitCode);
        proxy.Plan = new FaultPlan { SlowRate = 1, SlowDelay = TimeSpan.FromSeconds(60) };
        proxy.ResetCounters();
        // Through env --default-signal=INT: a suite started in the background of a script (as CI may) ignores SIGINT,
        // and a child inherits that, so Ctrl-C would never reach crawlgrep; a terminal's Ctrl-C finds it at its default.
        var psi = new System.Diagnostics.ProcessStartInfo("env") { WorkingDirectory = tmp.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"), "run", "plan.json", "-c" }) psi.ArgumentList.Add(arg);
        foreach (var (k, v) in Env(tmp.Path)) psi.Environment[k] = v;
        using var scan = System.Diagnostics.Process.Start(psi)!;
        var stderr = scan.StandardError.ReadToEndAsync();
        var stdout = scan.StandardOutput.ReadToEndAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (proxy.RequestLines.Count(l => l.StartsWith("GET")) < 2 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        await Task.Delay(300);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", scan.Id.ToString()])!) await kill.WaitForExitAsync();
        var interrupted = System.Diagnostics.Stopwatch.StartNew();
        // A blocking wait: an asynchronous one needs a pool thread to see the exit, and with the rest of the suite running
        // the pool can be slow to give one, which would time the test host instead of the scan.
        if (!scan.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            string stacks = Stacks(scan.Id);
            scan.Kill(entireProcessTree: true);
            Assert.Fail($"crawlgrep did not stop within 15 s of SIGINT; it had printed: {(await stderr).Trim()}\n{stacks}");
        }
        string errors = await stderr;
        output.WriteLine($"stopped {interrupted.ElapsedMilliseconds} ms after SIGINT; {errors.Trim()}");
        await stdout;
        Assert.Equal(130, scan.ExitCode);
        Assert.Contains("interrupted", errors);
        Assert.Equal("incomplete", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT status FROM scans").Lines[1]);
        // Tasks it had not finished are not recorded as done (those that got all they needed before their stall are).
        int planned = Core.Planning.ScanPlan.FromJson(File.ReadAllText(tmp.File("plan.json")), "plan.json").Tasks.Count;
        int done = int.Parse(Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT count(*) FILTER (status = 'done') FROM tasks").Lines[1]);
        Assert.True(done < planned, $"{done} of {planned} tasks recorded done after the interruption");
        output.WriteLine($"{done} of {planned} tasks done before the interruption");

        proxy.Plan = FaultPlan.None;
        var resumed = Cli.Run(tmp.Path, Env(tmp.Path), "resume", "1", "--db", "r.duckdb", "-c");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"{planned - done} of {planned} tasks to run", resumed.Stderr);
        Assert.Equal(HitRows(tmp.Path, "clean.duckdb"), HitRows(tmp.Path, "r.duckdb"));
        Assert.Equal("complete", Cli.Run(tmp.Path, "sql", "--db", "r.duckdb", "--csv", "SELECT status FROM scans").Lines[1]);
    }
}
