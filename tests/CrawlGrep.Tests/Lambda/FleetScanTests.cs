using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Remote;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// The fleet scheduler end to end: the built crawlgrep fanning a scan out to the emulator's real worker processes,
/// which read s3rver. Whatever the fleet meets (a function that allows fewer than asked for, or fewer mid-scan, a
/// straggler, a cost cap, a source that pushes back), the hits are those of a local scan of the same objects, hit
/// for hit, and the bill it records is the one Lambda's REPORT lines gave.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class FleetScanTests(S3rver fixture, ITestOutputHelper output)
{
    private (S3rver S3, IReadOnlyList<string> Generated)? Setup()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return null;
        return (s3, LambdaScan.Upload(s3).Where(i => i.Contains("/generated/")).ToList());
    }

    /// <summary>A local scan into <paramref name="db"/>, the reference every Lambda scan is compared with.</summary>
    private static Cli.Result Local(TempDir tmp, S3rver s3, string db, string split, IReadOnlyList<string> inputs)
    {
        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["--db", db, "-c", "--split", split, "--s3-endpoint", s3.Endpoint, .. LambdaScan.Patterns, .. inputs]);
        Assert.True(local.ExitCode == 0, local.Stderr);
        return local;
    }

    private static string Sql(TempDir tmp, string db, string query) => Cli.Run(tmp.Path, "sql", "--db", db, "--csv", query).Lines[1];

    private static int TaskCount(TempDir tmp, string db) => int.Parse(Sql(tmp, db, "SELECT count(*) FROM tasks WHERE scan_id = 1"), CultureInfo.InvariantCulture);

    private static void SameHitsAndTasks(TempDir tmp, string localDb, string lambdaDb)
    {
        var rows = LambdaScan.HitRows(tmp.Path, lambdaDb);
        Assert.True(rows.Length > 1000, $"{rows.Length} hits: the inputs should give plenty");
        Assert.Equal(LambdaScan.HitRows(tmp.Path, localDb), rows);
        var tasks = LambdaScan.TaskRows(tmp.Path, lambdaDb).Split(',');
        Assert.True(tasks[0] == tasks[1] && tasks[1] == tasks[2], $"tasks rows, ids, done: {string.Join(',', tasks)}");
        Assert.Equal(LambdaScan.TaskRows(tmp.Path, localDb), LambdaScan.TaskRows(tmp.Path, lambdaDb));
    }

    [Fact]
    public void Asking_for_more_in_flight_than_the_function_allows_backs_off_instead_of_hammering_and_loses_no_hit()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var local = Local(tmp, s3, "local.duckdb", "256K", inputs);
        int tasks = TaskCount(tmp, "local.duckdb");
        Assert.True(tasks >= 20, $"{tasks} tasks: the scan should be cut into 20 or more");

        using var emulator = LambdaScan.Emulator(concurrency: 2);
        var watch = Stopwatch.StartNew();
        // No copies of stragglers: one would be an invocation more than the tasks, which the count below must not see.
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(extra: new Dictionary<string, string?> { ["CRAWLGREP_SPECULATION"] = "off" }),
            ["--db", "lambda.duckdb", "-c", "--stats", "--split", "256K", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 8), .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"{tasks} tasks in {watch.Elapsed.TotalSeconds:0.0} s: {emulator.InvocationsStarted} invocations, {emulator.Throttled} throttled, " +
                         $"at most {emulator.MaxConcurrent} at once\n{StatsOf(lambda.Stderr)}");

        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines);
        SameHitsAndTasks(tmp, "local.duckdb", "lambda.duckdb");
        Assert.True(emulator.MaxConcurrent <= 2);
        Assert.True(emulator.Throttled > 0, "8 asked for, 2 allowed: the first round must meet 429s");
        // A client that re-sends each 429 at once keeps 6 of its 8 calls bouncing for the whole scan: with a task
        // taking a fraction of a second, that is several 429s per task (hundreds here). One that halves its target
        // on a push-back and waits out each Retry-After (1 s) meets a few per cut at most: fewer than two per task.
        Assert.True(emulator.Throttled <= 2 * tasks, $"{emulator.Throttled} throttled for {tasks} tasks: the client keeps hammering a full function");
        Assert.Equal(tasks, emulator.InvocationsStarted); // a 429 runs nothing: one invocation per task
    }

    [Fact]
    public void A_concurrency_limit_lowered_mid_scan_still_gives_every_hit_once()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var local = Local(tmp, s3, "local.duckdb", "256K", inputs);
        int tasks = TaskCount(tmp, "local.duckdb");

        using var emulator = LambdaScan.Emulator(concurrency: 4);
        var scan = Task.Run(() => Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "lambda.duckdb", "-c", "--stats", "--split", "256K", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 4), .. LambdaScan.Patterns, .. inputs]));
        var deadline = Stopwatch.StartNew();
        while (emulator.InvocationsCompleted < 6 && !scan.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
        int before = emulator.InvocationsCompleted;
        emulator.SetConcurrency(1);
        var lambda = scan.GetAwaiter().GetResult();
        output.WriteLine($"{tasks} tasks; limit cut to 1 after {before} invocations; {emulator.InvocationsStarted} invocations, {emulator.Throttled} throttled\n{StatsOf(lambda.Stderr)}");

        Assert.True(before >= 6 && before < tasks, $"the limit should be cut mid-scan ({before} of {tasks} invocations had ended)");
        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines);
        SameHitsAndTasks(tmp, "local.duckdb", "lambda.duckdb");
        Assert.True(emulator.Throttled > 0, "4 in flight against a limit of 1: some calls must have met 429");
        Assert.True(emulator.Throttled <= 2 * tasks, $"{emulator.Throttled} throttled for {tasks} tasks: the client keeps hammering a full function");
    }

    [Fact]
    public void A_straggler_gets_a_speculative_copy_and_does_not_hold_the_scan_back()
    {
        if (Setup() is not var (s3, _)) return;
        using var tmp = new TempDir();
        // Eight ranges that each take a worker a good part of a second, so that one run 20 times slower would take far
        // longer than the whole scan: a scan that waits for it is caught by the 3x bound below.
        string big = tmp.File("straggler.warc.gz");
        using (var f = File.Create(big))
            new Core.Generation.CorpusGenerator(new Core.Generation.CorpusOptions { Seed = 23, TargetSize = 24L << 20, Kinds = Core.Generation.CorpusKinds.Warc }).Generate(f, null, null);
        s3.Upload(LambdaScan.Bucket, "fleet/straggler.warc.gz", big);
        string[] inputs = [$"s3://{LambdaScan.Bucket}/fleet/straggler.warc.gz"];
        const string split = "1M";
        var local = Local(tmp, s3, "local.duckdb", split, inputs);
        int tasks = TaskCount(tmp, "local.duckdb");
        // The straggler: the first range, which starts first and so would end last of all.
        Assert.True(tasks >= 8, $"{tasks} tasks: copies need three finished tasks and half of them done");
        string victim = Sql(tmp, "local.duckdb", "SELECT task_id FROM tasks WHERE range_start = 0");

        (Cli.Result Result, double Seconds, LambdaEmulator Emulator) Scan(string db, bool slow)
        {
            var emulator = LambdaScan.Emulator(concurrency: 4, timeoutSeconds: 120);
            if (slow) emulator.Inject(LambdaFault.SlowWorkerWhen(e => e.Contains(victim, StringComparison.Ordinal), factor: 20));
            var watch = Stopwatch.StartNew();
            var r = Cli.Run(tmp.Path, LambdaScan.Env(),
                ["--db", db, "-c", "--stats", "--split", split, "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 4), .. LambdaScan.Patterns, .. inputs]);
            return (r, watch.Elapsed.TotalSeconds, emulator);
        }

        var (plain, plainSeconds, e1) = Scan("plain.duckdb", slow: false);
        using (e1) output.WriteLine($"no fault: {plainSeconds:0.0} s, {e1.InvocationsStarted} invocations; slowest worker {SlowestSeconds(e1):0.00} s\n{StatsOf(plain.Stderr)}");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var (slowed, slowSeconds, e2) = Scan("slow.duckdb", slow: true);
        using (e2) output.WriteLine($"one worker 20x slower: {slowSeconds:0.0} s, {e2.InvocationsStarted} invocations\n{StatsOf(slowed.Stderr)}");

        Assert.True(slowed.ExitCode == 0, slowed.Stderr);
        Assert.Equal(local.Lines, slowed.Lines);
        SameHitsAndTasks(tmp, "local.duckdb", "slow.duckdb");
        SameHitsAndTasks(tmp, "local.duckdb", "plain.duckdb");
        int copies = SpeculativeCopies(slowed.Stderr);
        Assert.True(copies >= 1, "the slowed task is a straggler: it should get a copy");
        Assert.True(copies <= Math.Max(2, (int)Math.Ceiling(0.02 * tasks)), $"{copies} copies: over the budget");
        Assert.Equal(tasks + copies, e2.InvocationsStarted);
        Assert.True(slowSeconds <= 3 * plainSeconds, $"{slowSeconds:0.0} s with a straggler against {plainSeconds:0.0} s without: the scan waited for it");
    }

    [Fact]
    public void A_scan_estimated_above_max_cost_invokes_nothing()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        using var emulator = LambdaScan.Emulator(concurrency: 2);
        var r = Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "lambda.duckdb", "-c", "--split", "256K", "--max-cost", "0.0000001", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2), .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"exit {r.ExitCode}\n{r.Stderr}");

        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var refusal = Assert.Single(lines, l => l.Contains("--max-cost"));
        Assert.StartsWith("crawlgrep: ", refusal);
        // Besides the one line, stderr holds at most the estimate it was refused on (a table), no trace of any kind.
        Assert.All(lines.Where(l => l != refusal), l => Assert.True(l.StartsWith("estimate on Lambda") || l.StartsWith("  "), l));
        Assert.Equal("", r.Stdout);
        Assert.Equal(0, emulator.InvocationsStarted);
        Assert.Equal(0, emulator.Throttled);
        if (File.Exists(tmp.File("lambda.duckdb")))
            Assert.Equal("0", Sql(tmp, "lambda.duckdb", "SELECT count(*) FROM hits"));
    }

    [Fact]
    public void A_cost_cap_reached_mid_scan_stops_invoking_keeps_what_ran_and_resume_completes_the_scan()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        const string split = "256K";
        Local(tmp, s3, "local.duckdb", split, inputs);
        int tasks = TaskCount(tmp, "local.duckdb");

        // Workers 20 times slower than this machine scans: a task then costs well above what the estimate says
        // (0.15 s of overhead and the range at the measured speed), so a cap can lie between the estimate, which a
        // scan must pass to start, and the bill, which the cap must cut short.
        using var emulator = LambdaScan.Emulator(concurrency: 2);
        emulator.Inject(LambdaFault.SlowWorkerWhen(_ => true, factor: 20, times: 100_000));
        // What a task really costs here: a full run, uncapped.
        var full = Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "full.duckdb", "-c", "--split", split, "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2), .. LambdaScan.Patterns, .. inputs]);
        Assert.True(full.ExitCode == 0, full.Stderr);
        // The capped run finds the workers warm: what counts is a warm task's bill (no init phase), times the tasks.
        double total = tasks * double.Parse(Sql(tmp, "full.duckdb", "SELECT median(cost_usd) FROM tasks WHERE init_ms IS NULL"), CultureInfo.InvariantCulture);
        // The estimate a cap is first checked against: at most 0.15 s of overhead plus the range at 5 MB/s (these
        // patterns scan 15-20 MB/s a core here) per task, 1,769 MB at the x86_64 price, a request and an S3 GET per
        // task, a HEAD per input.
        double estimateBound = tasks * ((0.15 + (256 << 10) / 5e6) * 1769 / 1024.0 * 0.0000166667 + 0.2e-6 + 0.4e-6) + inputs.Count * 0.4e-6;
        // Just above the estimate, not a share of the uncapped run's bill: that run, slowed by a busy machine, once cost 2.6
        // times what the capped run's tasks did, and a share of it let all but 7 tasks in.
        double cap = estimateBound * 1.05;
        output.WriteLine($"{tasks} tasks; uncapped and warm ${total:0.#######} (${total / tasks:0.#######} a task); estimate at most ${estimateBound:0.#######}; cap ${cap:0.#######}");
        Assert.True(cap < total * 0.8, $"the workers here cost ${total:0.#######} for the scan, too close to its estimate (at most ${estimateBound:0.#######}) for a cap between them");

        string capText = cap.ToString("0.#########", CultureInfo.InvariantCulture);
        int invocationsBefore = emulator.InvocationsStarted;
        var capped = Cli.Run(tmp.Path, LambdaScan.Env(),
            ["--db", "lambda.duckdb", "-c", "--stats", "--split", split, "--max-cost", capText, "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2), .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"capped: exit {capped.ExitCode}, {emulator.InvocationsStarted - invocationsBefore} invocations\n{StatsOf(capped.Stderr)}");

        Assert.True(capped.ExitCode == 2, capped.Stderr);
        Assert.Contains("stopped invoking before the bill passed --max-cost", capped.Stderr);
        Assert.Contains("crawlgrep resume 1", capped.Stderr);
        Assert.Equal("incomplete", Sql(tmp, "lambda.duckdb", "SELECT status FROM scans"));
        int done = int.Parse(Sql(tmp, "lambda.duckdb", "SELECT count(*) FROM tasks WHERE status = 'done'"), CultureInfo.InvariantCulture);
        Assert.True(done > 0 && done < tasks, $"{done} of {tasks} tasks done under the cap");
        double billed = double.Parse(Sql(tmp, "lambda.duckdb", "SELECT cost_usd FROM scans"), CultureInfo.InvariantCulture);
        // Past the cap by no more than what was in flight when it was reached: the two tasks running then were started
        // at their expected cost, and a busy machine makes a slowed worker's task cost many times that (one run here
        // billed $0.0012 for 5 tasks under a $0.00036 cap). A scan that ignored the cap would bill every task.
        double dearest = double.Parse(Sql(tmp, "lambda.duckdb", "SELECT max(cost_usd) FROM tasks WHERE status = 'done'"), CultureInfo.InvariantCulture);
        Assert.True(billed <= cap + 2 * dearest, $"billed ${billed} past the cap ${cap} by more than two tasks (${dearest} each at most) in flight");
        // The hits of the tasks that ran are kept: exactly the local scan's hits in their ranges.
        var ranges = Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT source, range_start, range_end FROM tasks WHERE status = 'done'").Lines.Skip(1)
            .Select(l => l.Split(',')).Select(p => $"(file = '{p[0]}' AND record_offset >= {p[1]} AND record_offset < {p[2]})").ToList();
        var expected = Cli.Run(tmp.Path, "sql", "--db", "local.duckdb", "--csv", $"SELECT * EXCLUDE (scan_id) FROM hits WHERE {string.Join(" OR ", ranges)} ORDER BY ALL").Lines;
        Assert.True(expected.Length > 1, "the tasks done should have hits");
        Assert.Equal(expected, LambdaScan.HitRows(tmp.Path, "lambda.duckdb"));

        var resumed = Cli.Run(tmp.Path, LambdaScan.Env(), ["resume", "1", "--db", "lambda.duckdb", "-c", .. LambdaScan.OnLambda(emulator, 2)]);
        output.WriteLine($"resumed: exit {resumed.ExitCode}\n{StatsOf(resumed.Stderr)}");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("complete", Sql(tmp, "lambda.duckdb", "SELECT status FROM scans"));
        SameHitsAndTasks(tmp, "local.duckdb", "lambda.duckdb");
    }

    [Fact]
    public void Each_task_and_the_scan_carry_the_bill_of_the_REPORT_lines()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        Local(tmp, s3, "local.duckdb", "1M", inputs);
        using var emulator = LambdaScan.Emulator(concurrency: 2);
        // No copies of stragglers: a copy's given-up call is billed by Lambda but never reports back, and a busy machine
        // made one here (11 invocations for 10 tasks).
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(extra: new Dictionary<string, string?> { ["CRAWLGREP_SPECULATION"] = "off" }),
            ["--db", "lambda.duckdb", "-c", "--stats", "--split", "1M", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 2), .. LambdaScan.Patterns, .. inputs]);
        output.WriteLine($"{emulator.InvocationsStarted} invocations, {emulator.ColdStarts} cold starts, {emulator.Throttled} throttled\n{StatsOf(lambda.Stderr)}");
        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Contains("0 speculative copies", lambda.Stderr);
        SameHitsAndTasks(tmp, "local.duckdb", "lambda.duckdb");
        int tasks = TaskCount(tmp, "lambda.duckdb");

        // Every task: its invocations, billed time, the function's memory, what it used.
        Assert.Equal("0", Sql(tmp, "lambda.duckdb",
            $"SELECT count(*) FROM tasks WHERE NOT (invocations >= 1 AND billed_ms > 0 AND memory_mb = {emulator.Options.MemorySizeMb} AND max_memory_mb > 0 AND gb_seconds > 0 AND cost_usd > 0)"));
        Assert.NotEqual("0", Sql(tmp, "lambda.duckdb", "SELECT count(*) FROM tasks WHERE init_ms IS NOT NULL")); // a cold start's
        Assert.Equal(emulator.ColdStarts.ToString(CultureInfo.InvariantCulture), Sql(tmp, "lambda.duckdb", "SELECT count(*) FROM tasks WHERE init_ms > 0"));

        // What the emulator billed: the Billed Duration of each REPORT line.
        var billed = emulator.Invocations.Select(i => Regex.Match(i.Log, @"Billed Duration: (\d+) ms")).ToList();
        Assert.All(billed, m => Assert.True(m.Success));
        long reportMs = billed.Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        double reportGbs = reportMs / 1000.0 * emulator.Options.MemorySizeMb / 1024.0;
        double reportUsd = reportGbs * 0.0000166667 + emulator.Invocations.Count * 0.2e-6;

        var scan = Sql(tmp, "lambda.duckdb", "SELECT invocations, billed_ms, gb_seconds, cost_usd FROM scans").Split(',');
        var sums = Sql(tmp, "lambda.duckdb", "SELECT sum(invocations), sum(billed_ms), sum(gb_seconds), sum(cost_usd) FROM tasks").Split(',');
        output.WriteLine($"scan: {string.Join(' ', scan)}; tasks: {string.Join(' ', sums)}; REPORT lines: {emulator.Invocations.Count} invocations, {reportMs} ms, {reportGbs} GB-s, ${reportUsd}");
        Assert.Equal(tasks, emulator.InvocationsStarted); // no retries, no copies: the bills must agree exactly
        Assert.Equal(tasks.ToString(CultureInfo.InvariantCulture), scan[0]);
        Assert.Equal(sums[0], scan[0]);
        Assert.Equal(reportMs.ToString(CultureInfo.InvariantCulture), scan[1]);
        Assert.Equal(sums[1], scan[1]);
        AssertClose(reportGbs, scan[2]);
        AssertClose(reportGbs, sums[2]);
        AssertClose(reportUsd, scan[3]);
        AssertClose(reportUsd, sums[3]);

        var query = Cli.Run(tmp.Path, "query", "cost", "--db", "lambda.duckdb");
        output.WriteLine(query.Stdout + query.Stderr);
        Assert.True(query.ExitCode == 0, query.Stderr);
        // Its billed_s column: the REPORT lines' milliseconds, in seconds (a whole number of seconds prints without ".0").
        var billedS = Regex.Escape((reportMs / 1000.0).ToString("0.0", CultureInfo.InvariantCulture));
        if (billedS.EndsWith("\\.0", StringComparison.Ordinal)) billedS = billedS[..^3] + @"(\.0)?";
        Assert.Matches($@"\|\s+{billedS}\s+\|", query.Stdout.Replace(",", ""));
    }

    // After the burst the fleet-wide backoff must ease off (a passed storm must not leave the fleet crawling), and a
    // task whose reads the source pushed back until they gave up is run again, not recorded failed.
    [Fact]
    public void Workers_meeting_a_burst_of_503_SlowDown_give_every_hit_and_the_stats_show_the_push_back()
    {
        if (Setup() is not var (s3, inputs)) return;
        using var tmp = new TempDir();
        var local = Local(tmp, s3, "local.duckdb", "256K", inputs);
        // Planned on a good network; the workers then read through a proxy whose first 30 GETs answer 503 SlowDown. The
        // workers retry as they would on Lambda (the source's own backoff, not the millisecond the other tests use).
        var plan = Cli.Run(tmp.Path, LambdaScan.Env(), ["plan", "--db", "lambda.duckdb", "--split", "256K", "--s3-endpoint", s3.Endpoint, "-o", "plan.json", .. LambdaScan.Patterns, .. inputs]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        using var proxy = new FaultProxy(s3.Endpoint, new FaultPlan { Fail503First = 30, GetOnly = true });
        using var emulator = LambdaScan.Emulator(concurrency: 4, workerEnvironment: new Dictionary<string, string>());
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(), ["run", "plan.json", "-c", "--stats", "--s3-endpoint", proxy.BaseUrl, .. LambdaScan.OnLambda(emulator, 4)]);
        output.WriteLine($"{proxy.Requests} requests through the proxy, {proxy.Faults} faults\n{StatsOf(lambda.Stderr)}");

        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        Assert.Equal(local.Lines, lambda.Lines);
        SameHitsAndTasks(tmp, "local.duckdb", "lambda.duckdb");
        Assert.Equal(30, proxy.Faults);
        var pushed = Regex.Match(lambda.Stderr, @"pushed back ([\d,]+) times");
        Assert.True(pushed.Success, lambda.Stderr);
        int n = int.Parse(pushed.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
        Assert.True(n > 0 && n <= 30, $"pushed back {n} times by 30 503s");
    }

    private static void AssertClose(double expected, string actual)
    {
        double a = double.Parse(actual, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(a - expected) <= 1e-9 + 1e-6 * Math.Abs(expected), $"{a} is not {expected}");
    }

    private static int SpeculativeCopies(string stderr)
    {
        var m = Regex.Match(stderr, @"([\d,]+) speculative copies");
        Assert.True(m.Success, stderr);
        return int.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
    }

    private static double SlowestSeconds(LambdaEmulator emulator) =>
        emulator.Invocations.Where(i => i.Delivered is not null).Select(i => (i.Finished - i.Delivered!.Value).TotalSeconds).DefaultIfEmpty(0).Max();

    private static string StatsOf(string stderr) => stderr.Trim();
}
