using System.CommandLine;
using System.Diagnostics;
using System.Text;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Aws;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Execution.Lambda;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>How the hits of a scan are shown: the flags <c>crawlgrep</c> and <c>crawlgrep run</c> share.</summary>
internal sealed class OutputFlags
{
    public readonly Option<bool> OnlyMatching = new("--only-matching", "-o") { Description = "Print only the matched text of each hit, not its line" };
    public readonly Option<bool> Count = new("--count", "-c") { Description = "Print the number of matching lines per input" };
    public readonly Option<bool> FilesWithMatches = new("--files-with-matches", "-l") { Description = "Print the target URI of each matching record" };
    public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print nothing; exit 0 on the first match" };
    public readonly Option<bool> Json = new("--json") { Description = "One JSON object per hit (the hits table's columns)" };
    public readonly Option<bool> Stats = new("--stats") { Description = "Print scan statistics on stderr at the end" };
    public readonly Option<string> Color = new("--color") { Description = "When to use colour: auto, always, never", HelpName = "WHEN", DefaultValueFactory = _ => "auto" };
    public readonly Option<bool> NoProgress = new("--no-progress") { Description = "Never show the progress line" };
    public readonly Option<bool> NoMmap = new("--no-mmap") { Description = "Read local files through buffers, not memory maps" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { OnlyMatching, Count, FilesWithMatches, Quiet, Json, Stats, Color, NoProgress, NoMmap })
            command.Options.Add(o);
    }

    public OutputSettings Read(ParseResult pr) => new()
    {
        OnlyMatching = pr.GetValue(OnlyMatching), Count = pr.GetValue(Count), FilesWithMatches = pr.GetValue(FilesWithMatches), Quiet = pr.GetValue(Quiet),
        Json = pr.GetValue(Json), Stats = pr.GetValue(Stats), Color = pr.GetValue(Color) ?? "auto", NoProgress = pr.GetValue(NoProgress),
        NoMmap = pr.GetValue(NoMmap),
    };
}

/// <summary>How the hits of a scan are shown, as <see cref="OutputFlags"/> ask or a job run sets.</summary>
internal sealed record OutputSettings
{
    public bool OnlyMatching { get; init; }
    public bool Count { get; init; }
    public bool FilesWithMatches { get; init; }
    public bool Quiet { get; init; }
    public bool Json { get; init; }
    public bool Stats { get; init; }
    public string Color { get; init; } = "auto";
    public bool NoProgress { get; init; }
    public bool NoMmap { get; init; }

    /// <summary>Hits are recorded, not printed (a job run): problems and the progress line still show, and the scan runs to its end.</summary>
    public bool HitsUnprinted { get; init; }
}

/// <summary>How a scan ended: grep's exit code, the scan it was recorded as, its totals and its status there.</summary>
internal sealed record ScanOutcome(int Code, long? ScanId, ScanStats Totals, string? Status, double? CostUsd)
{
    public static ScanOutcome Failed(int code = ScanRun.ExitError) => new(code, null, new ScanStats { Errors = 1 }, null, null);
}

/// <summary>A scan ready to run: its tasks, the inputs that could not be planned, and how it was asked for.</summary>
/// <param name="Spec">What the scan asks for: every task's spec.</param>
/// <param name="Db">The result file the scan is recorded in; null when it is not recorded.</param>
internal sealed record ScanJob(
    ScanSpec Spec,
    string? Db,
    IReadOnlyList<ScanTask> Tasks,
    IReadOnlyList<PlanFailure> Failures,
    IReadOnlyList<string> Patterns,
    IReadOnlyList<string> Positional,
    IReadOnlyList<string> Skipped,
    int Threads,
    SourceResolver Sources)
{
    /// <summary>Set when the job finishes a recorded scan (crawlgrep resume) instead of starting one.</summary>
    public ResumedScan? Resume { get; init; }

    /// <summary>Set when the tasks run on AWS Lambda instead of the local cores.</summary>
    public LambdaSettings? Lambda { get; init; }

    /// <summary>Where the scan's workers write partials: a resume keeps the scan's own, so collect finds them all.</summary>
    public PlanPartials? Partials { get; init; }

    /// <summary>The --max-gap the record lists were cut with (kept with the plan for a resume); null for the default.</summary>
    public long? RecordGap { get; init; }

    /// <summary>Told the new scan's id (and the store it is in) as soon as it is recorded, before any task runs: a job run links its run to it.</summary>
    public Action<ResultStore, long>? OnRecorded { get; init; }
}

/// <summary>The recorded scan a resume adds to, and the result file it is in.</summary>
internal sealed record ResumedScan(long ScanId, string Db);

/// <summary>
/// Runs a scan's tasks on the local cores and reports it the way grep does: hits on stdout (lines, -o, -c, -l,
/// --json), problems on stderr, the progress line, the scan recorded in DuckDB, grep's exit codes.
/// </summary>
internal static class ScanRun
{
    public const int ExitMatch = 0, ExitNoMatch = 1, ExitError = 2, ExitInterrupted = 130;

    public static int Execute(ParseResult pr, OutputFlags flags, ScanJob job) => Run(flags.Read(pr), job).Code;

    public static ScanOutcome Run(OutputSettings flags, ScanJob job)
    {
        var err = Console.Error;
        var spec = job.Spec;
        bool quiet = flags.Quiet;
        string? dbPath = job.Resume?.Db ?? job.Db;
        var progress = new ScanProgress();
        // Counting or listing with nothing recorded needs only the matching lines, not every match on them.
        bool linesOnly = dbPath is null && !flags.Json && (quiet || flags.Count || flags.FilesWithMatches);
        var options = TaskRunner.Compile(spec, linesOnly, progress, out string? optionsError);
        if (options is null) return FailedWith(optionsError!);
        if (flags.NoMmap) options = options with { MapLocalFiles = false };

        bool color = flags.Color switch { "always" => true, "never" => false, _ => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null };
        var stdout = OpenStdout();
        var outWriter = new StreamWriter(stdout, new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var ansi = new Ansi(color);

        long totalBytes = job.Tasks.Sum(t => t.Bytes);
        // A paid run knows what it runs on and what it will cost before anything is recorded or invoked.
        using var lambdaClient = job.Lambda is { } l ? new LambdaClient(new LambdaClientOptions { Endpoint = l.Endpoint, Region = l.Region }) : null;
        LambdaTarget? target = null;
        double priorSecondsPerByte = 1 / LambdaCostModel.S3StreamBytesPerSecond;
        if (job.Lambda is { } lambdaSettings)
        {
            try { target = lambdaSettings.Resolve(lambdaClient!, CancellationToken.None); }
            catch (Exception e) when (e is LambdaException or AwsCredentialsNotFoundException or InvalidOperationException) { return FailedWith(e.Message); }
            if (target.Note is not null && !quiet) err.WriteLine($"crawlgrep: {target.Note}");
            // Below a gigabyte a scan costs a fraction of a cent: not worth the second the estimate takes to measure.
            if (lambdaSettings.MaxCost is not null || (!quiet && totalBytes >= 1_000_000_000))
            {
                var (estimate, speed) = LambdaSettings.Estimate(job.Tasks, options, target.MemoryMb, target.Concurrency);
                priorSecondsPerByte = 1 / LambdaCostModel.WorkerBytesPerSecond(speed, target.MemoryMb);
                if (!quiet) err.WriteLine(LambdaCostModel.Describe(estimate, speed));
                if (lambdaSettings.MaxCost is double cap && target.Dollars(estimate) > cap)
                    return FailedWith($"the scan is estimated at ${target.Dollars(estimate):0.####} on {target.Architecture}, above --max-cost ${cap.ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture)}: nothing was invoked " +
                                "(raise --max-cost, or scan less: --files, --sample, --segment)");
            }
        }

        if (job.Lambda is { Detach: true } && dbPath is null) return FailedWith("--detach records the scan so collect can gather it later: drop --no-db");
        ResultStore? store = null;
        DuckDbReducer? reducer = null;
        long? scanId = null;
        PlanPartials? partials = job.Partials;
        if (dbPath is not null)
        {
            try
            {
                store = new ResultStore(dbPath);
                if (job.Resume is { } resume) scanId = resume.ScanId;
                else
                {
                    scanId = store.BeginScan(new ScanInfo(CommandLine(), job.Patterns, job.Positional));
                    if (job.Lambda?.Results is { } prefix) partials = new PlanPartials(prefix, NewScanKey(scanId));
                    store.SavePlan(scanId.Value, (PlanOf(job) with { Partials = partials }).ToJson());
                    job.OnRecorded?.Invoke(store, scanId.Value);
                }
                reducer = new DuckDbReducer(store, scanId.Value);
            }
            catch (ResultStoreException e) { return FailedWith($"{e.Message} (use --no-db to scan without recording)"); }
        }
        if (job.Lambda?.Results is { } results0 && partials is null) partials = new PlanPartials(results0, NewScanKey(scanId));
        if (job.Lambda is { Detach: true } detached)
            return new ScanOutcome(DetachedScan.Dispatch(job, detached, target!, lambdaClient!, store!, scanId!.Value, partials!, linesOnly), scanId, new ScanStats(), ScanStatus.Running, null);

        int inputCount = job.Tasks.Select(t => t.Source).Distinct().Count() + job.Failures.Count;
        IHitSink printer = quiet || flags.HitsUnprinted ? NullHitSink.Instance
            : flags.Json ? new JsonPrinter(stdout, scanId)
            : flags.Count ? new CountPrinter(outWriter, ansi, inputCount == 1)
            : flags.FilesWithMatches ? new UriListPrinter(outWriter)
            : new LinePrinter(stdout, ansi, flags.OnlyMatching);
        var diagnostics = new DiagnosticPrinter(err);
        using var cts = new CancellationTokenSource();
        // The scan's one stop: Ctrl-C, -q's first hit and a closed output all cancel it; the executor, its tasks and
        // their remote reads (through the sources' pacer) all end on it.
        var guarded = new ClosedOutputGuard(printer, cts.Cancel);
        var printers = quiet ? new SinkFanout(diagnostics, guarded, new StopAtFirstHit(cts.Cancel)) : new SinkFanout(diagnostics, guarded);
        using var stopSources = cts.Token.Register(job.Sources.Pacer.Stop);

        var totals = new ScanStats();
        foreach (var f in job.Failures)
        {
            var stats = new ScanStats { Files = 1, Errors = 1 };
            printers.OnFileDone(new FileScanResult(f.Source, stats, f.Error, ""));
            try { reducer?.RecordUnreadable(f.Source, f.Error); }
            catch (ResultStoreException e) { err.WriteLine($"crawlgrep: {e.Message}"); }
            totals.Add(stats);
        }
        // A count (or -q) of matching lines is the same in any order: tasks need not wait for the ones before them. (Not
        // when the hits are recorded: the scanners would then run ahead of the database's commits, and what waits to be
        // committed, and DuckDB's checkpoints of it, would take more memory than the 256 MB a scan may hold.)
        // A printer that can render hits does so on the scanning threads (lines, --json); the others print in the emitter's turn.
        var results = new TaskResults(job.Tasks, printers, reducer, spec.Limits.MaxLinesPerFile, hitsInOrder: !(linesOnly && (quiet || flags.Count)),
            renderer: guarded.Renderer);

        bool showProgress = !flags.NoProgress && !Console.IsErrorRedirected && !quiet;
        var clock = Stopwatch.StartNew();
        bool interrupted = false, fatal = false, costCapped = false;
        LambdaExecutor? lambdaExecutor = null;
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupted = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            using (var display = showProgress ? new ProgressDisplay(progress, totalBytes, err) : null)
            {
                if (display is not null) diagnostics.BeforeWrite = display.ClearLine;
                try
                {
                    if (job.Lambda is { } lambda)
                    {
                        lambdaExecutor = new LambdaExecutor(lambdaClient!, lambda.ExecutorOptions(target!, partials?.ScanKey ?? NewScanKey(scanId), PlanRemote.Of(job.Sources.Options), linesOnly) with
                        {
                            Results = partials?.Results, Progress = progress, PriorSecondsPerByte = priorSecondsPerByte,
                        }, job.Sources);
                        lambdaExecutor.Run(results, cts.Token);
                        if (lambdaExecutor.Fleet is { Halted: "cost cap" } fleet)
                        {
                            // Stopped short on purpose: what ran is kept, and a resume runs the rest.
                            display?.ClearLine();
                            err.WriteLine($"crawlgrep: stopped invoking before the bill passed --max-cost ${lambda.MaxCost?.ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture)}: ${fleet.Cost.Dollars:0.####} billed, " +
                                          $"{fleet.TaskCount - fleet.Done:N0} of {fleet.TaskCount:N0} tasks not run" +
                                          (scanId is long id ? $" (crawlgrep resume {id} runs them)" : ""));
                            costCapped = true;
                        }
                    }
                    else new LocalExecutor(options, job.Threads, job.Sources.Open).Run(results, cts.Token);
                }
                catch (IOException) { /* stdout closed (e.g. | head): stop like grep */ }
                catch (Exception e) when (e is LambdaException or AwsCredentialsNotFoundException or InvalidOperationException)
                {
                    // The service refused the scan itself (no such function, access denied, no credentials): one line.
                    display?.ClearLine();
                    err.WriteLine($"crawlgrep: {e.Message}");
                    fatal = true;
                }
                totals.Add(results.Totals);
                if (fatal) totals.Errors++;
                totals.Files += job.Tasks.Select(t => t.Source).Distinct(StringComparer.Ordinal).Count();
            }
        }
        finally { Console.CancelKeyPress -= onCancel; }
        try { outWriter.Flush(); (printer as RenderingPrinter)?.Dispose(); stdout.Flush(); } catch (IOException) { }
        if (guarded.Closed) interrupted = false; // the reader went away (| head): like grep, not an interruption

        string? finalStatus = null;
        if (reducer is not null && store is not null)
        {
            try
            {
                string status = finalStatus = totals.Errors > 0 || interrupted || costCapped ? ScanStatus.Incomplete : ScanStatus.Complete;
                var billing = lambdaExecutor?.Fleet?.Bill;
                if (job.Resume is not null) store.FinishResumedScan(scanId!.Value, totals, status, billing);
                else store.FinishScan(scanId!.Value, totals, status, billing);
            }
            catch (ResultStoreException e) { err.WriteLine($"crawlgrep: {e.Message}"); totals.Errors++; }
            finally { store.Dispose(); }
        }
        if (flags.Stats) PrintStats(err, totals, job.Tasks.Count, clock.Elapsed, job.Skipped, scanId, store?.Path, job.Sources, lambdaExecutor);

        double? cost = lambdaExecutor?.Fleet?.Bill is { } bill ? bill.Dollars : null;
        int code;
        if (interrupted) { err.WriteLine("crawlgrep: interrupted; the hits found so far are kept"); code = ExitInterrupted; }
        else if (quiet && totals.Hits > 0) code = ExitMatch;
        else if (totals.Errors > 0 || costCapped) code = ExitError;
        else code = totals.Hits > 0 ? ExitMatch : ExitNoMatch;
        return new ScanOutcome(code, scanId, totals, finalStatus, cost);
    }

    private static ScanOutcome FailedWith(string message) => ScanOutcome.Failed(Fail(message));

    /// <summary>The plan a scan is recorded with: what a resume needs to run what is left of it.</summary>
    public static ScanPlan PlanOf(ScanJob job) => new()
    {
        Tasks = job.Tasks,
        Unplanned = job.Failures.Count > 0 ? job.Failures : null,
        Spec = job.Spec,
        Db = job.Db,
        Remote = PlanRemote.Of(job.Sources.Options),
        RecordGap = job.RecordGap,
    };

    /// <summary>
    /// Standard output as a plain file stream: a write after the reader has gone (<c>| head</c>) then fails, and the
    /// scan stops. (The console stream of .NET ignores a broken pipe, and the scan would run to its end unseen.)
    /// </summary>
    private static Stream OpenStdout()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        try
        {
            var fs = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!fs.CanSeek) return fs;
            // A regular file (> out.txt, >> log): a FileStream writes it at offsets of its own (pwrite) and leaves the
            // descriptor's offset where it was, so the next writer of the same descriptor (the rest of a shell group,
            // or >> appending) would write over our output. No broken pipe can happen here: write(2) as the console does.
            fs.Dispose();
            return Console.OpenStandardOutput();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return Console.OpenStandardOutput(); }
    }

    private static void PrintStats(TextWriter err, ScanStats s, int tasks, TimeSpan elapsed, IReadOnlyList<string> skipped, long? scanId, string? db,
        SourceResolver sources, LambdaExecutor? executor)
    {
        double secs = Math.Max(elapsed.TotalSeconds, 1e-6);
        err.WriteLine();
        err.WriteLine($"{s.Hits:N0} hits in {s.RecordsMatched:N0} records");
        err.WriteLine($"{s.Records:N0} records read, {s.RecordsScanned:N0} matched against ({s.PayloadBytes:N0} payload bytes)");
        err.WriteLine($"{s.Files:N0} inputs in {tasks:N0} tasks, {ProgressDisplay.Size(s.CompressedBytes)} read, {ProgressDisplay.Size(s.DecodedBytes)} decoded");
        err.WriteLine($"{elapsed.TotalSeconds:0.000} s, {s.DecodedBytes / secs / 1e6:0.0} MB/s decoded, {s.CompressedBytes / secs / 1e6:0.0} MB/s read");
        err.WriteLine($"{s.Warnings:N0} warnings, {s.Errors:N0} errors");
        if (sources.Counters.Requests > 0)
        {
            var c = sources.Counters;
            err.WriteLine($"{c.Requests:N0} requests, {ProgressDisplay.Size(c.BytesFetched)} fetched, {c.Retries:N0} retried, {c.Resumes:N0} bodies resumed" +
                          (sources.Pacer.Slowdowns > 0 ? $", slowed down {sources.Pacer.Slowdowns:N0} times by the server" : ""));
        }
        if (executor is not null) FleetStats.Print(err, executor);
        if (skipped.Count > 0) err.WriteLine($"{skipped.Count} files in folders skipped (not archives, or links to folders): {string.Join(", ", skipped.Take(5))}{(skipped.Count > 5 ? ", ..." : "")}");
        if (scanId is not null) err.WriteLine($"scan {scanId} recorded in {db}");
    }

    /// <summary>
    /// A key of one run of a scan: where its workers put partials too large to return inline. Unique per run, so two
    /// scans never share keys; a local path is no part of it.
    /// </summary>
    public static string NewScanKey(long? scanId) =>
        $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{(scanId is long id ? $"s{id}-" : "")}{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    /// <summary>A Lambda worker reads s3:// and https:// inputs only: the first local input, as an error; else null.</summary>
    public static string? LocalInputOnLambda(IEnumerable<string> inputs) =>
        inputs.FirstOrDefault(i => !SourceProviders.IsRemote(i)) is { } local
            ? $"{local}: a Lambda worker cannot read a local file: scan s3:// or https:// inputs with --lambda (upload it, or drop --lambda)"
            : null;

    public static string CommandLine() => "crawlgrep " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"crawlgrep: {message}");
        return ExitError;
    }
}
