using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// Runs what is left of a recorded scan: the partials its workers left in S3 are collected first, then its failed
/// tasks, those that never ran and the inputs that could not be planned run again, adding to the same scan. What a
/// failed task had kept is replaced by its new run, so no hit is counted twice. <c>crawlgrep resume</c> and a job
/// run that picks up an interrupted run both come here.
/// </summary>
internal static class ScanResume
{
    /// <param name="openSources">The sources, given the remote options the scan was planned with.</param>
    /// <param name="lambda">Where the rest runs: Lambda settings, or null for the local cores, or an error.</param>
    public static ScanOutcome Run(string dbPath, long scanId, OutputSettings output, int workers, Func<RemoteOptions?, SourceResolver> openSources,
        Func<SourceResolver, (LambdaSettings? Settings, string? Error)> lambda)
    {
        var err = Console.Error;
        if (!File.Exists(dbPath)) return Failed($"{dbPath}: no such result file");
        RecordedScan? scan;
        ScanPlan plan;
        try
        {
            using (var store = new ResultStore(dbPath)) scan = store.LoadScan(scanId);
            if (scan is null) return Failed($"{dbPath}: no scan {scanId}");
            if (scan.Plan is null) return Failed($"scan {scanId} was recorded without its plan (by an older crawlgrep): run it again instead");
            plan = ScanPlan.FromJson(scan.Plan, $"scan {scanId}");
        }
        catch (ResultStoreException e) { return Failed(e.Message); }
        catch (InvalidDataException e) { return Failed(e.Message); }

        using var sources = openSources(plan.Remote?.ToOptions());
        if (plan.Partials is not null)
        {
            // What the scan's workers finished while nobody waited for them (a detached scan, a client that died) is
            // collected first: a resume runs only what has no result.
            var (collected, _) = CollectCommand.Run(dbPath, scanId, plan, sources, err);
            if (collected is null) return ScanOutcome.Failed();
            try { using var store = new ResultStore(dbPath); scan = store.LoadScan(scanId)!; }
            catch (ResultStoreException e) { return Failed(e.Message); }
        }
        var left = plan.Tasks.Where(t => !scan.DoneTasks.Contains(t.Id)).ToList();
        var unplanned = plan.Unplanned ?? [];
        if (left.Count == 0 && unplanned.Count == 0 && scan.Status == ScanStatus.Complete)
        {
            err.WriteLine($"crawlgrep: scan {scanId} is complete: nothing to resume");
            return new ScanOutcome(ScanRun.ExitMatch, scanId, new Core.Scanning.ScanStats(), ScanStatus.Complete, null);
        }
        var (onLambda, lambdaError) = lambda(sources);
        if (lambdaError is not null || (onLambda is not null && (lambdaError = ScanRun.LocalInputOnLambda(left.Select(t => t.Source).Concat(unplanned.Select(u => u.Source)))) is not null))
            return Failed(lambdaError);

        // Inputs that could not even be planned are planned now, as the scan would have.
        var replanned = unplanned.Count == 0 ? new PlanResult([], [], []) : Replan(unplanned, plan.Spec, plan.RecordGap, workers, sources.Open);
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
        catch (ResultStoreException e) { return Failed(e.Message); }

        var inputs = tasks.Select(t => t.Source).Concat(replanned.Failures.Select(f => f.Source)).Distinct().ToList();
        var outcome = ScanRun.Run(output, new ScanJob(plan.Spec, dbPath, tasks, replanned.Failures, plan.Spec.Patterns.Items, inputs, [], workers, sources)
        {
            Resume = new ResumedScan(scanId, dbPath),
            Lambda = onLambda,
            // New partials go where the scan's others are (unless --results names another place), for a later collect.
            Partials = onLambda?.Results is { } results && results != plan.Partials?.Results ? null : plan.Partials,
        });
        // Finding nothing more is a success for a resume: the scan is now complete.
        return outcome.Code == ScanRun.ExitNoMatch ? outcome with { Code = ScanRun.ExitMatch } : outcome;
    }

    /// <summary>Plans the inputs a scan could not plan: whole, or by the records an index selected in them.</summary>
    private static PlanResult Replan(IReadOnlyList<PlanFailure> unplanned, ScanSpec spec, long? recordGap, int workers, Func<string, IByteSource> open)
    {
        var whole = Planner.Plan(unplanned.Where(u => u.Records is null).Select(u => u.Source).ToList(), spec, new PlanOptions { Cores = workers }, open);
        var selected = unplanned.Where(u => u.Records is not null)
            .SelectMany(u => u.Records!.Select(r => new SelectedRecord(u.Source, r.Offset, r.Length))).ToList();
        if (selected.Count == 0) return whole;
        var listed = RecordListPlanner.Plan(selected, spec, new RecordListOptions { Cores = workers, GapLimit = recordGap }, open);
        return new PlanResult([.. whole.Tasks, .. listed.Tasks], [.. whole.Inputs, .. listed.Inputs], [.. whole.Failures, .. listed.Failures]);
    }

    private static ScanOutcome Failed(string message) => ScanOutcome.Failed(ScanRun.Fail(message));
}
