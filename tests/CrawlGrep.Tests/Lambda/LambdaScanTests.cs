using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Remote;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// Scans fanned out to Lambda, through the emulator running real worker processes that read s3rver: the same hits
/// as a local scan of the same objects, whatever the split, the concurrency limit and the faults of workers; every
/// task recorded once; a task that keeps failing leaves the scan to a resume on Lambda.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class LambdaScanTests(S3rver fixture, ITestOutputHelper output)
{
    private (S3rver S3, IReadOnlyList<string> Inputs)? Setup()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return null;
        return (s3, LambdaScan.Upload(s3));
    }

    [Theory]
    [InlineData("whole inputs, partials inline", null, 4, 4, false)]
    [InlineData("64K ranges, more in flight than the function may run (429s)", "64K", 2, 6, false)]
    [InlineData("256K ranges, partials through S3", "256K", 4, 4, true)]
    public void Lambda_scans_give_the_hits_counts_and_exit_code_of_local_scans(string name, string? split, int functionConcurrency, int inFlight, bool throughS3)
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        string[] cut = split is null ? [] : ["--split", split];
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--s3-endpoint", s3.Endpoint, .. cut, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        using var emulator = LambdaScan.Emulator(functionConcurrency);
        var extra = throughS3 ? new Dictionary<string, string?> { ["CRAWLGREP_LAMBDA_INLINE_LIMIT"] = "0" } : null;
        string[] results = throughS3 ? ["--results", $"s3://{LambdaScan.Bucket}/results/"] : [];
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(extra: extra),
            ["--db", "lambda.duckdb", "-c", "--stats", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, inFlight), .. results, .. cut, .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"{name}: {emulator.InvocationsStarted} invocations, {emulator.ColdStarts} cold starts, {emulator.Throttled} throttled, " +
                         $"at most {emulator.MaxConcurrent} at once\n{lambda.Stderr.Trim()}");

        Assert.True(lambda.ExitCode == local.ExitCode, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines); // -c, input for input
        var rows = LambdaScan.HitRows(tmp.Path, "lambda.duckdb");
        Assert.True(rows.Length > 1000, $"{rows.Length} hits: the inputs should give plenty");
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), rows);
        var tasks = LambdaScan.TaskRows(tmp.Path, "lambda.duckdb").Split(',');
        Assert.True(tasks[0] == tasks[1] && tasks[1] == tasks[2], $"tasks rows, ids, done: {string.Join(',', tasks)}");
        Assert.Equal(LambdaScan.TaskRows(tmp.Path, "local.duckdb"), LambdaScan.TaskRows(tmp.Path, "lambda.duckdb"));
        Assert.True(emulator.MaxConcurrent <= functionConcurrency);
        if (inFlight > functionConcurrency) Assert.True(emulator.Throttled > 0, "more in flight than the function may run: some invocations get 429");
        if (throughS3) Assert.Contains("partials read from S3", lambda.Stderr);
        Assert.DoesNotContain(S3rver.SecretKey + "\n", lambda.Stderr + lambda.Stdout);
    }

    [Fact]
    public void A_killed_worker_a_hung_one_and_a_lost_answer_neither_lose_nor_double_a_hit()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--split", "128K", "--s3-endpoint", s3.Endpoint, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        using var emulator = LambdaScan.Emulator(concurrency: 4, timeoutSeconds: 6);
        emulator.Inject(LambdaFault.KillWorker(3, TimeSpan.Zero));                    // dies with its task: Runtime.ExitError
        emulator.Inject(LambdaFault.StopWorker(6));                                  // hangs until the timeout kills it
        emulator.Inject(LambdaFault.DropResponse(9));                                // ran to its end, but its answer is lost
        // No copies of stragglers (the hung one is one): each fault must cost exactly one invocation more, counted below.
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(extra: new Dictionary<string, string?> { ["CRAWLGREP_SPECULATION"] = "off" }),
            ["--db", "lambda.duckdb", "-c", "--stats", "--split", "128K", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 4), .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"{emulator.InvocationsStarted} invocations; errors: " +
                         string.Join(", ", emulator.Invocations.Where(i => i.ErrorType is not null).Select(i => $"#{i.Number} {i.ErrorType}")) + $"\n{lambda.Stderr.Trim()}");

        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines);
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));
        Assert.Equal(LambdaScan.TaskRows(tmp.Path, "local.duckdb"), LambdaScan.TaskRows(tmp.Path, "lambda.duckdb"));
        Assert.Contains(emulator.Invocations, i => i.ErrorType == "Runtime.ExitError");
        Assert.Contains(emulator.Invocations, i => i.ErrorType == "Sandbox.Timedout");
        int tasks = int.Parse(LambdaScan.TaskRows(tmp.Path, "lambda.duckdb").Split(',')[0]);
        // Each fault cost one more invocation, nothing more: every invocation beyond one per task is one that failed (the
        // two faults, and any other a busy machine timed out) or the one whose answer was lost.
        int failed = emulator.Invocations.Count(i => i.ErrorType is not null);
        Assert.Equal(tasks + failed + 1, emulator.InvocationsStarted);
    }

    [Fact]
    public void Workers_reading_through_a_faulty_network_give_the_fault_free_hits()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--split", "128K", "--s3-endpoint", s3.Endpoint, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        // Planned on a good network; the workers then read through resets, truncated bodies and 503s.
        var plan = Cli.Run(tmp.Path, LambdaScan.Env(), ["plan", "--db", "lambda.duckdb", "--split", "128K", "--s3-endpoint", s3.Endpoint, "-o", "plan.json", .. LambdaScan.Patterns, .. inputs]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        using var proxy = new FaultProxy(s3.Endpoint, new FaultPlan { ResetRate = 0.2, TruncateRate = 0.2, Fail503Rate = 0.2, Seed = 9, GetOnly = true });
        using var emulator = LambdaScan.Emulator(concurrency: 4);
        // Every fourth read of about a hundred tasks fails and is retried after a backoff: minutes on a busy machine.
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(), TimeSpan.FromMinutes(6), ["run", "plan.json", "-c", "--s3-endpoint", proxy.BaseUrl, .. LambdaScan.OnLambda(emulator, 4)]);
        output.WriteLine($"{proxy.RequestLines.Count} requests through the proxy\n{lambda.Stderr.Trim()}");
        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines);
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));
        Assert.Contains(proxy.RequestLines, l => l.StartsWith("GET"));
    }

    [Fact]
    public void A_task_that_keeps_failing_leaves_the_scan_incomplete_and_resume_on_lambda_completes_it()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        string victim = inputs.First(i => i.EndsWith(".warc.zst"));
        var some = inputs.Where(i => i.Contains("/generated/")).ToList();
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", "local.duckdb", "-c", "--split", "1M", "--s3-endpoint", s3.Endpoint, .. LambdaScan.Patterns, .. some]);
        Assert.True(local.ExitCode == 0, local.Stderr);

        using var emulator = LambdaScan.Emulator(concurrency: 3);
        // Every try of the victim's first task crashes its worker (the executor gives a task three tries).
        emulator.Inject(LambdaFault.KillWorkerWhen(e => e.Contains(victim) && e.Contains("\"start\":0,"), TimeSpan.Zero, times: 3));
        var failed = Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "lambda.duckdb", "-c", "--split", "1M", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 3), .. LambdaScan.Patterns, .. some]);
        output.WriteLine(failed.Stderr);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("Runtime.ExitError", failed.Stderr);
        Assert.Contains("after 3 tries", failed.Stderr);
        Assert.Equal("incomplete", Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT status FROM scans").Lines[1]);
        Assert.Equal("1", Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT count(*) FROM tasks WHERE status = 'failed'").Lines[1]);

        var resumed = Cli.Run(tmp.Path, LambdaScan.Env(), ["resume", "1", "--db", "lambda.duckdb", "-c", .. LambdaScan.OnLambda(emulator, 3)]);
        output.WriteLine(resumed.Stderr);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("1 of", resumed.Stderr);
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));
        Assert.Equal("complete", Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT status FROM scans").Lines[1]);
        Assert.Equal(LambdaScan.TaskRows(tmp.Path, "local.duckdb"), LambdaScan.TaskRows(tmp.Path, "lambda.duckdb"));
    }

    [Fact]
    public void Workers_read_with_the_function_role_not_the_callers_keys()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var some = inputs.Where(i => i.Contains("/generated/")).ToList();
        // Planned by a caller that can read the bucket; run by one that can only call the function.
        var plan = Cli.Run(tmp.Path, LambdaScan.Env(), ["plan", "--db", "r.duckdb", "--s3-endpoint", s3.Endpoint, "-o", "plan.json", .. LambdaScan.Patterns, .. some]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["run", "plan.json", "-c", "--no-db"]);
        using var emulator = LambdaScan.Emulator();
        var run = Cli.Run(tmp.Path, LambdaScan.Env(LambdaScan.InvokeOnly), ["run", "plan.json", "-c", .. LambdaScan.OnLambda(emulator, 4)]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(local.Lines, run.Lines);
        Assert.True(emulator.InvocationsCompleted > 0);
    }

    [Fact]
    public void An_unknown_function_a_wrong_secret_an_unreachable_endpoint_and_an_unwritable_results_prefix_each_give_one_line_and_exit_2()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        using var emulator = LambdaScan.Emulator();
        // Planned by a caller who can read the bucket: each case then runs the plan with what it gets wrong.
        var plan = Cli.Run(tmp.Path, LambdaScan.Env(), "plan", "--s3-endpoint", s3.Endpoint, "-o", "plan.json", "-i", "--type", "all", "-e", "the", inputs[0]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        string[] run = ["run", "plan.json", "--no-db", "-c"];
        var wrongSecret = LambdaScan.Caller with { SecretAccessKey = "not/the/right/secret/at/all/0123456789" };
        var cases = new (string Name, Dictionary<string, string?> Env, string[] Args, string Expected)[]
        {
            ("unknown function", LambdaScan.Env(), [.. run, "--lambda", "nope", "--lambda-endpoint", emulator.Endpoint], "function nope not found in us-east-1"),
            ("wrong secret", LambdaScan.Env(wrongSecret), [.. run, .. LambdaScan.OnLambda(emulator, 2)], "access denied calling Lambda"),
            ("unreachable endpoint", LambdaScan.Env(), [.. run, "--lambda", LambdaScan.Function, "--lambda-endpoint", "http://127.0.0.1:9"], "cannot reach Lambda endpoint 127.0.0.1"),
            ("results prefix without access", LambdaScan.Env(extra: new Dictionary<string, string?> { ["CRAWLGREP_LAMBDA_INLINE_LIMIT"] = "0" }),
                [.. run, .. LambdaScan.OnLambda(emulator, 2), "--results", "s3://no-such-bucket/results/"], "s3://no-such-bucket/results/"),
        };
        foreach (var (name, env, args, expected) in cases)
        {
            var r = Cli.Run(tmp.Path, env, args);
            output.WriteLine($"{name}: exit {r.ExitCode}: {r.Stderr.Trim()}");
            Assert.True(r.ExitCode == 2, $"{name}: exit {r.ExitCode}: {r.Stderr}");
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines, l => l.Contains(expected));
            Assert.True(lines.Length <= 2, $"{name}: {r.Stderr}");
            foreach (var secret in new[] { LambdaScan.InvokeOnly.SecretAccessKey, wrongSecret.SecretAccessKey, "Signature=", "function-role-session-token" })
                Assert.DoesNotContain(secret, r.Stderr + r.Stdout);
        }
    }

    [Fact]
    public void A_worker_scanning_a_large_input_with_a_thousand_patterns_stays_under_256_MB()
    {
        if (Setup() is not var (s3, _)) return;
        using var tmp = new TempDir();
        // One task over 64 MB of CC-shaped WARC, a thousand patterns that match all over it: the hits go to S3.
        string big = tmp.File("big.warc.gz");
        using (var f = File.Create(big))
            new Core.Generation.CorpusGenerator(new Core.Generation.CorpusOptions { Seed = 5, TargetSize = 64L << 20, Kinds = Core.Generation.CorpusKinds.Warc }).Generate(f, null, null);
        s3.Upload(LambdaScan.Bucket, "big/big.warc.gz", big);
        var words = Core.Generation.WordLists.Split(Core.Generation.WordLists.English).Distinct(StringComparer.OrdinalIgnoreCase).Take(500).ToList();
        File.WriteAllLines(tmp.File("patterns.txt"), words.Concat(Enumerable.Range(0, 1000 - words.Count).Select(i => $"zq{i}x")));

        using var emulator = LambdaScan.Emulator(concurrency: 1, timeoutSeconds: 120);
        var r = Cli.Run(tmp.Path, LambdaScan.Env(), ["--no-db", "-c", "-i", "-f", "patterns.txt", "--split", "1G", "--s3-endpoint", s3.Endpoint,
            "--results", $"s3://{LambdaScan.Bucket}/results/", .. LambdaScan.OnLambda(emulator, 1), $"s3://{LambdaScan.Bucket}/big/big.warc.gz"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var invocation = Assert.Single(emulator.Invocations);
        var used = System.Text.RegularExpressions.Regex.Match(invocation.Log, @"Max Memory Used: (\d+) MB");
        Assert.True(used.Success, invocation.Log);
        output.WriteLine($"{r.Stdout.Trim()} lines; worker peak {used.Groups[1].Value} MB; {invocation.Log.Split('\n').FirstOrDefault(l => l.StartsWith("crawlgrep worker"))}");
        Assert.True(int.Parse(used.Groups[1].Value) <= 256, $"the worker peaked at {used.Groups[1].Value} MB");
        Assert.True(long.Parse(r.Stdout.Trim().Split(':')[^1]) > 100_000, "the patterns should match all over the input");
    }

    [Fact]
    public void A_local_file_cannot_be_scanned_on_lambda()
    {
        if (RealData.Require(output) is null) return;
        using var tmp = new TempDir();
        var r = Cli.Run(tmp.Path, LambdaScan.Env(), "--lambda", LambdaScan.Function, "--lambda-endpoint", "http://127.0.0.1:9", "--no-db", "needle",
            RealData.PathOf("whirlwind-python/whirlwind.warc.gz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("a Lambda worker cannot read a local file", r.Stderr);
    }
}
