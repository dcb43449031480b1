using System.CommandLine;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep plan [OPTIONS] PATTERN PATH... [--out plan.json]</c>: cuts the inputs into tasks, as a search would,
/// and saves them for <c>crawlgrep run</c> instead of running them. A summary goes to stderr.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var scan = new ScanFlags();
        var lambda = new LambdaFlags();
        var outFile = new Option<string?>("--out", "-o") { Description = "Write the plan to FILE [default: stdout]", HelpName = "FILE" };
        var command = new Command("plan", "Cut a scan into byte-range tasks and save them (run them with: crawlgrep run PLAN)");
        scan.AddTo(command);
        lambda.AddTo(command);
        command.Options.Add(outFile);
        command.SetAction(pr =>
        {
            var err = Console.Error;
            var request = scan.Read(pr, out string? error);
            if (request is null) return ScanRun.Fail(error!);
            using var sources = request.Sources;
            var onLambda = lambda.Read(pr, sources.Options.Region, out error);
            if (error is not null) return ScanRun.Fail(error);
            // The kept columns go into the result file of the scan that selects them; a plan carries tasks, not index rows.
            if (request.KeepIndexColumns is not null)
                return ScanRun.Fail("--keep-index-columns keeps index columns with a scan's hits, and a plan is not a scan: give it to crawlgrep itself, not to crawlgrep plan");
            if (request.NothingSelected(pr.GetValue(scan.Crawl)!) is int none) return none;
            // On Lambda, ranges are cut for the invocations in flight, not for this machine's cores.
            var plan = request.Plan(onLambda is null ? request.PlanOptions : request.PlanOptions with { Cores = onLambda.PlanConcurrency });
            foreach (var f in plan.Failures) err.WriteLine($"crawlgrep: {f.Source}: {f.Error}");
            if (plan.Tasks.Count == 0) return ScanRun.Fail("nothing to plan: no input could be read");
            string json = new ScanPlan { Tasks = plan.Tasks, Spec = request.Spec, Db = request.Db, Remote = PlanRemote.Of(sources.Options), RecordGap = request.MaxGap }.ToJson();
            string? path = pr.GetValue(outFile);
            try
            {
                if (path is null) Console.Out.WriteLine(json);
                else File.WriteAllText(path, json + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ScanRun.Fail($"{path}: {e.Message}"); }
            int whole = plan.Inputs.Count(i => !i.Splittable);
            err.WriteLine($"{plan.Inputs.Count:N0} inputs, {ProgressDisplay.Size(plan.Bytes)}, {plan.Tasks.Count:N0} tasks" +
                          (whole > 0 ? $" ({whole:N0} whole-file gzip, not split)" : "") + (path is null ? "" : $": {path}"));
            if (plan.RecordList is { } records) err.WriteLine(RecordListLine(records));
            if (onLambda is null) err.WriteLine(Estimate(request, plan));
            else if (Core.Execution.TaskRunner.Compile(request.Spec, linesOnly: false, progress: null, out _) is { } options)
            {
                var (estimate, speed) = LambdaSettings.Estimate(plan.Tasks, options, onLambda.MemoryMb ?? Core.Execution.Lambda.LambdaCostModel.OneVcpuMb, onLambda.PlanConcurrency);
                err.WriteLine(Core.Execution.Lambda.LambdaCostModel.Describe(estimate, speed));
                if (onLambda.MaxCost is double cap && Math.Min(estimate.TotalX86, estimate.TotalArm64) > cap)
                    err.WriteLine($"crawlgrep: above --max-cost ${cap}: a scan of this plan would not start");
            }
            return plan.Failures.Count > 0 ? ScanRun.ExitError : 0;
        });
        return command;
    }

    /// <summary>What an index-guided plan reads: its records, the requests they take, and the bytes those fetch, of the files' bytes.</summary>
    public static string RecordListLine(RecordListSummary s)
    {
        double percent = s.Fraction * 100;
        string fraction = percent is > 0 and < 0.01 ? "under 0.01%" : $"{percent:0.##}%";
        return $"{s.Records:N0} records in {s.Requests:N0} requests: {ProgressDisplay.Size(s.FetchBytes)} to fetch, {fraction} of the files' {ProgressDisplay.Size(s.FileBytes)}";
    }

    /// <summary>
    /// How long the plan would take on this machine's cores: its bytes over the scan speed measured just now for
    /// these patterns and filters (on a generated sample, so no input is read). The largest task bounds it from
    /// below: a task runs on one core.
    /// </summary>
    private static string Estimate(ScanRequest request, PlanResult plan)
    {
        var options = Core.Execution.TaskRunner.Compile(request.Spec, linesOnly: false, progress: null, out _);
        if (options is null) return "estimate: none (the patterns do not compile)";
        double perCore = ScanSpeed.MeasureBytesPerSecond(options);
        int cores = Math.Max(1, Math.Min(request.PlanOptions.Cores, plan.Tasks.Count));
        // What the tasks read: the inputs' bytes, or for an index-guided plan the bytes it fetches.
        long largest = plan.Tasks.Count == 0 ? 0 : plan.Tasks.Max(t => t.Bytes);
        double seconds = Math.Max(plan.Tasks.Sum(t => t.Bytes) / (perCore * cores), largest / perCore);
        long remote = plan.Tasks.Where(t => Core.Sources.SourceProviders.IsRemote(t.Source)).Sum(t => t.Bytes);
        return $"estimate: {ScanSpeed.Duration(seconds)} on {cores} core{(cores == 1 ? "" : "s")} " +
               $"(this machine scans these patterns at {perCore / 1e6:0} MB/s of compressed input per core, measured on a generated sample)" +
               (remote > 0 ? $"; {ProgressDisplay.Size(remote)} of it is remote and must be downloaded at least that fast" : "");
    }
}
