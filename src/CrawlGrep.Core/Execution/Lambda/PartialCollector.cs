using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>What one collect found under a scan's results prefix.</summary>
/// <param name="Collected">Partials committed by this collect.</param>
/// <param name="AlreadyDone">Partials of tasks the result file had already.</param>
/// <param name="Duplicates">Partials another collect (or the scan itself) committed first, while this one ran.</param>
/// <param name="Failed">Of those collected, tasks whose worker could not read their range (a resume runs them again).</param>
/// <param name="Missing">Tasks with no partial yet: still running or queued on Lambda, or lost.</param>
/// <param name="Unreadable">Partials that could not be read (damaged, or the read failed), one line each.</param>
public sealed record CollectReport(int Collected, int AlreadyDone, int Duplicates, int Failed, ScanStats Totals,
    IReadOnlyList<ScanTask> Missing, IReadOnlyList<string> Unreadable);

/// <summary>
/// Gathers what a Lambda scan's workers wrote to its results prefix (one partial per task) into the result file,
/// through the reducer, so each task is committed once however often, and however many at once, collect runs. It
/// lists the prefix, skips tasks already done, and says which tasks have no partial yet.
/// </summary>
public static class PartialCollector
{
    public static CollectReport Collect(ScanPlan plan, IReadOnlySet<string> done, ITaskReducer reducer, SourceResolver sources, CancellationToken ct = default)
    {
        var partials = plan.Partials ?? throw new InvalidOperationException("the scan has no results prefix: it did not run on Lambda with --results");
        var tasks = plan.Tasks.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        var totals = new ScanStats();
        int collected = 0, alreadyDone = 0, duplicates = 0, failed = 0;
        foreach (var source in SourceProviders.For(partials.Prefix).List(partials.Prefix, sources))
        {
            ct.ThrowIfCancellationRequested();
            if (partials.TaskIdOf(source.Name) is not { } id || !tasks.TryGetValue(id, out var task)) continue;
            seen.Add(id);
            if (done.Contains(id)) { alreadyDone++; continue; }
            TaskOutcome? outcome;
            try { outcome = reducer.Commit(task, () => source.OpenRange(0, source.Length), billing: null); }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                seen.Remove(id); // a partial that cannot be read is no result: the task is still missing
                unreadable.Add($"{source.Name}: {e.Message}");
                continue;
            }
            if (outcome is null) { duplicates++; continue; }
            collected++;
            if (outcome.Error is not null) failed++;
            totals.Add(outcome.Stats);
        }
        var missing = plan.Tasks.Where(t => !done.Contains(t.Id) && !seen.Contains(t.Id)).ToList();
        return new CollectReport(collected, alreadyDone, duplicates, failed, totals, missing, unreadable);
    }
}
