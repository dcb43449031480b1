using System.Diagnostics;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Remote;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// Scans that outlive their terminal: a detached scan (Event invocations, partials in S3) gathered by collect, run
/// twice and at once; and a synchronous scan whose client is killed, finished by resume. Both end with exactly the
/// hits of a local scan, every task recorded once.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class DetachedScanTests(S3rver fixture, ITestOutputHelper output)
{
    private (S3rver S3, IReadOnlyList<string> Inputs)? Setup()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return null;
        return (s3, LambdaScan.Upload(s3));
    }

    private static string[] Results(string name) => ["--results", $"s3://{LambdaScan.Bucket}/{name}/"];

    [Fact]
    public async Task A_detached_scan_returns_at_once_and_collect_run_twice_and_at_once_commits_each_task_once()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        string[] cut = ["--split", "128K"];
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--s3-endpoint", s3.Endpoint, .. cut, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        using var emulator = LambdaScan.Emulator(concurrency: 3);
        var clock = Stopwatch.StartNew();
        var detached = Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "lambda.duckdb", "--detach", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 3), .. Results("detached"), .. cut, .. LambdaScan.Patterns, .. inputs]);
        clock.Stop();
        int tasks = int.Parse(LambdaScan.TaskCount(tmp.Path, "local.duckdb"));
        output.WriteLine($"detached in {clock.Elapsed.TotalSeconds:0.0} s, {emulator.EventsSucceeded} of {tasks} events done by then\n{detached.Stderr}");
        Assert.True(detached.ExitCode == 0, detached.Stderr);
        Assert.Equal("1", detached.Stdout.Trim());                                    // the scan id, for scripts
        Assert.True(emulator.EventsSucceeded < tasks, "returned before the workers were through: it did not wait for them");
        Assert.Equal(0, int.Parse(LambdaScan.TaskCount(tmp.Path, "lambda.duckdb")));   // nothing recorded until collected

        await emulator.DrainEventsAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(tasks, emulator.EventsSucceeded);

        // Two collects at once, then a third: each task is committed once.
        var collects = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Cli.Run(tmp.Path, LambdaScan.Env(), ["collect", "1", "--db", "lambda.duckdb", "--s3-endpoint", s3.Endpoint]))).ToArray();
        var results = await Task.WhenAll(collects);
        foreach (var r in results) { output.WriteLine(r.Stderr); Assert.True(r.ExitCode == 0, r.Stderr); }
        var again = Cli.Run(tmp.Path, LambdaScan.Env(), ["collect", "1", "--db", "lambda.duckdb", "--s3-endpoint", s3.Endpoint]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("collected 0 tasks", again.Stderr);

        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));
        var rows = LambdaScan.TaskRows(tmp.Path, "lambda.duckdb").Split(',');
        Assert.Equal([tasks.ToString(), tasks.ToString(), tasks.ToString()], rows);
        var status = Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT status, hits FROM scans WHERE scan_id = 1").Lines[1];
        Assert.Equal($"complete,{LambdaScan.HitRows(tmp.Path, "local.duckdb").Length - 1}", status);
    }

    [Fact]
    public async Task A_client_killed_mid_scan_loses_nothing_a_resume_ends_with_the_local_hits()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        string[] cut = ["--split", "64K"];
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--s3-endpoint", s3.Endpoint, .. cut, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        using var emulator = LambdaScan.Emulator(concurrency: 2);
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = tmp.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"));
        foreach (string a in (string[])["--db", "lambda.duckdb", "-c", "--no-progress", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2), .. Results("killed"), .. cut, .. LambdaScan.Patterns, .. inputs])
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in LambdaScan.Env()) { if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v; }
        using (var client = Process.Start(psi)!)
        {
            _ = client.StandardOutput.ReadToEndAsync();
            _ = client.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            while (emulator.InvocationsCompleted < 6 && waited.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);
            Assert.False(client.HasExited, "the scan should still be running when it is killed");
            client.Kill(entireProcessTree: true);                                   // the laptop's lid closes
            await client.WaitForExitAsync();
        }
        // The workers in flight finish on their own and write their partials to S3.
        var settle = Stopwatch.StartNew();
        while (emulator.InFlight > 0 && settle.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(50);
        int invokedBeforeResume = emulator.InvocationsStarted;

        var resume = Cli.Run(tmp.Path, LambdaScan.Env(), ["resume", "1", "--db", "lambda.duckdb", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2)]);
        output.WriteLine($"{invokedBeforeResume} invocations before the resume, {emulator.InvocationsStarted - invokedBeforeResume} by it\n{resume.Stderr}");
        Assert.True(resume.ExitCode == 0, resume.Stderr);
        Assert.Matches(@"collected [1-9]", resume.Stderr);                          // what finished after the kill was collected, not run again
        int tasks = int.Parse(LambdaScan.TaskCount(tmp.Path, "local.duckdb"));
        Assert.True(emulator.InvocationsStarted - invokedBeforeResume < tasks, "the resume ran only what had no result");
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));
        var rows = LambdaScan.TaskRows(tmp.Path, "lambda.duckdb").Split(',');
        Assert.Equal([tasks.ToString(), tasks.ToString(), tasks.ToString()], rows);
    }
}
