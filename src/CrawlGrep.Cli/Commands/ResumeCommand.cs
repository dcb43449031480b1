using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep resume SCAN_ID</c>: runs the tasks of a recorded scan that failed or never ran (a crash, a network
/// that gave up) and the inputs that could not be planned, adding their hits to the same scan. What a failed task
/// had found before it failed is replaced by its new run, so no hit is counted twice.
/// </summary>
public static class ResumeCommand
{
    public static Command Create()
    {
        var scanIdArg = new Argument<long>("SCAN_ID") { Description = "The scan to finish (see: crawlgrep query scans)" };
        var db = new Option<string>("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
        var threads = new Option<int>("--threads", "-j") { Description = "Tasks scanned at once [default: number of cores]", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new OutputFlags();
        var remote = new RemoteFlags();
        var lambda = new LambdaFlags();
        var command = new Command("resume", "Run what is left of an incomplete scan: its failed tasks and those that never ran");
        command.Arguments.Add(scanIdArg);
        command.Options.Add(db);
        command.Options.Add(threads);
        output.AddTo(command);
        remote.AddTo(command);
        lambda.AddTo(command);
        command.SetAction(pr =>
        {
            var err = Console.Error;
            long scanId = pr.GetValue(scanIdArg);
            string dbPath = pr.GetValue(db)!;
            if (!File.Exists(dbPath)) return ScanRun.Fail($"{dbPath}: no such result file");
            RecordedScan? scan;
            ScanPlan plan;
            try
            {
                using (var store = new ResultStore(dbPath)) scan = store.LoadScan(scanId);
                if (scan is null) return ScanRun.Fail($"{dbPath}: no scan {scanId}");
                if (scan.Plan is null) return ScanRun.Fail($"scan {scanId} was recorded without its plan (by an older crawlgrep): run it again instead");
                plan = ScanPlan.FromJson(scan.Plan, $"scan {scanId}");
            }
            catch (ResultStoreException e) { return ScanRun.Fail(e.Message); }
            catch (InvalidDataException e) { return ScanRun.Fail(e.Message); }

            int workers = Math.Max(1, pr.GetValue(threads));
            using var sources = remote.Resolver(pr, plan.Remote?.ToOptions());
            if (plan.Partials is not null)
            {
                // What the scan's workers finished while nobody waited for them (a detached scan, a client that died) is
                // collected first: a resume runs only what has no result.
                var (collected, _) = CollectCommand.Run(dbPath, scanId, plan, sources, err);
                if (collected is null) return ScanRun.ExitError;
                try { using var store = new ResultStore(dbPath); scan = store.LoadScan(scanId)!; }
                catch (ResultStoreException e) { return ScanRun.Fail(e.Message); }
            }
            var left = plan.Tasks.Where(t => !scan.DoneTasks.Contains(t.Id)).ToList();
            var unplanned = plan.Unplanned ?? [];
            if (left.Count == 0 && unplanned.Count == 0 && scan.Status == ScanStatus.Complete)
            {
                err.WriteLine($"crawlgrep: scan {scanId} is complete: nothing to resume");
                return 0;
            }
            var onLambda = lambda.Read(pr, sources.Options.Region, out string? lambdaError);
            if (lambdaError is not null || (onLambda is not null && (lambdaError = ScanRun.LocalInputOnLambda(left.Select(t => t.Source).Concat(unplanned.Select(u => u.Source)))) is not null))
                return ScanRun.Fail(lambdaError);

            // Inputs that could not even be planned are planned now, as the scan would have.
            var replanned = unplanned.Count == 0
                ? new PlanResult([], [], [])
                : Planner.Plan(unplanned.Select(u => u.Source).ToList(), plan.Spec, new PlanOptions { Cores = workers }, sources.Open);
            var tasks = left.Concat(replanned.Tasks).ToList();
            err.WriteLine($"crawlgrep: resuming scan {scanId}: {tasks.Count:N0} of {plan.Tasks.Count + replanned.Tasks.Count:N0} tasks to run" +
                          (unplanned.Count > 0 ? $" ({unplanned.Count:N0} inputs planned again, {replanned.Failures.Count:N0} still unreadable)" : ""));
            try
            {
                using var store = new ResultStore(dbPath);
                store.BeginResume(scanId, tasks.Select(t => (t.Id, t.Source, t.Start, t.End))
                    .Concat(replanned.Failures.Select(f => ("", f.Source, 0L, 0L))));
                store.SavePlan(scanId, (plan with
                {
                    Tasks = plan.Tasks.Concat(replanned.Tasks).ToList(),
                    Unplanned = replanned.Failures.Count > 0 ? replanned.Failures : null,
                }).ToJson());
            }
            catch (ResultStoreException e) { return ScanRun.Fail(e.Message); }

            var inputs = tasks.Select(t => t.Source).Concat(replanned.Failures.Select(f => f.Source)).Distinct().ToList();
            int code = ScanRun.Execute(pr, output, new ScanJob(plan.Spec, dbPath, tasks, replanned.Failures, plan.Spec.Patterns.Items, inputs, [], workers, sources)
            {
                Resume = new ResumedScan(scanId, dbPath),
                Lambda = onLambda,
                // New partials go where the scan's others are (unless --results names another place), for a later collect.
                Partials = onLambda?.Results is { } results && results != plan.Partials?.Results ? null : plan.Partials,
            });
            // Finding nothing more is a success for a resume: the scan is now complete.
            return code == ScanRun.ExitNoMatch ? ScanRun.ExitMatch : code;
        });
        return command;
    }
}
