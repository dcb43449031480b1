using System.CommandLine;
using CrawlGrep.Core.Execution.Lambda;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep collect SCAN_ID</c>: reads what a Lambda scan's workers wrote to its results prefix into the result
/// file, each task once (however often, and however many at once, it runs), and says which tasks are still missing.
/// Exit 0 when the scan is complete, 1 while tasks are missing, 2 when some failed or could not be read.
/// </summary>
public static class CollectCommand
{
    public static Command Create()
    {
        var scanIdArg = new Argument<long>("SCAN_ID") { Description = "The scan to collect (see: crawlgrep query scans)" };
        var db = new Option<string>("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
        var remote = new RemoteFlags();
        var command = new Command("collect", "Gather the results a Lambda scan's workers wrote to S3 (a --detach scan, or one whose client went away)");
        command.Arguments.Add(scanIdArg);
        command.Options.Add(db);
        remote.AddTo(command);
        command.SetAction(pr =>
        {
            long scanId = pr.GetValue(scanIdArg);
            string dbPath = pr.GetValue(db)!;
            if (!File.Exists(dbPath)) return ScanRun.Fail($"{dbPath}: no such result file");
            ScanPlan plan;
            try
            {
                RecordedScan? scan;
                using (var store = new ResultStore(dbPath)) scan = store.LoadScan(scanId);
                if (scan?.Plan is null) return ScanRun.Fail(scan is null ? $"{dbPath}: no scan {scanId}" : $"scan {scanId} was recorded without its plan: nothing to collect");
                plan = ScanPlan.FromJson(scan.Plan, $"scan {scanId}");
            }
            catch (Exception e) when (e is ResultStoreException or InvalidDataException) { return ScanRun.Fail(e.Message); }
            if (plan.Partials is null) return ScanRun.Fail($"scan {scanId} did not run on Lambda with --results: its results are all in {dbPath} already");
            using var sources = remote.Resolver(pr, plan.Remote?.ToOptions());
            var (report, code) = Run(dbPath, scanId, plan, sources, Console.Error);
            return report is null ? ScanRun.ExitError : code;
        });
        return command;
    }

    /// <summary>Collects a scan's partials and closes the scan's totals; the report (null when it failed, said on stderr) and the exit code.</summary>
    internal static (CollectReport? Report, int Code) Run(string dbPath, long scanId, ScanPlan plan, SourceResolver sources, TextWriter err)
    {
        try
        {
            using var store = new ResultStore(dbPath);
            var before = store.LoadScan(scanId)!;
            var report = PartialCollector.Collect(plan, before.DoneTasks, new DuckDbReducer(store, scanId), sources);
            var after = store.LoadScan(scanId)!;
            int notDone = plan.Tasks.Count(t => !after.DoneTasks.Contains(t.Id));
            int failed = notDone - report.Missing.Count;
            report.Totals.Errors = Math.Max(0, failed);
            string status = notDone == 0 ? ScanStatus.Complete : ScanStatus.Incomplete;
            if (report.Collected > 0 || status != before.Status) store.FinishResumedScan(scanId, report.Totals, status);

            foreach (string line in report.Unreadable) err.WriteLine($"crawlgrep: {line}");
            err.WriteLine($"crawlgrep: scan {scanId}: collected {report.Collected:N0} tasks ({report.Totals.Hits:N0} hits) from {plan.Partials!.Prefix}" +
                          (report.AlreadyDone + report.Duplicates > 0 ? $"; {report.AlreadyDone + report.Duplicates:N0} were recorded already" : "") +
                          $"; {plan.Tasks.Count - notDone:N0} of {plan.Tasks.Count:N0} tasks done");
            if (failed > 0) err.WriteLine($"crawlgrep: {failed:N0} tasks failed (see: crawlgrep query failed-tasks); crawlgrep resume {scanId} runs them again");
            if (report.Missing.Count > 0)
                err.WriteLine($"crawlgrep: {report.Missing.Count:N0} tasks have no result yet (still queued or running on Lambda, or lost): " +
                              string.Join(", ", report.Missing.Take(5).Select(t => t.Id)) + (report.Missing.Count > 5 ? ", ..." : "") +
                              $"; crawlgrep resume {scanId} invokes them again");
            int code = failed > 0 || report.Unreadable.Count > 0 ? ScanRun.ExitError : report.Missing.Count > 0 ? ScanRun.ExitNoMatch : ScanRun.ExitMatch;
            return (report, code);
        }
        catch (Exception e) when (e is ResultStoreException or IOException or InvalidOperationException)
        {
            err.WriteLine($"crawlgrep: collecting scan {scanId}: {e.Message}");
            return (null, ScanRun.ExitError);
        }
    }
}
