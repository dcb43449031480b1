using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// The partial result of one task, wherever it ran: every hit with its full provenance, the warnings, and the
/// outcome (stats, error, times), keyed by the task's id. The reducer commits it once; printers replay it in file order.
/// </summary>
public sealed record TaskPartial(string Source, TaskOutcome Outcome, IReadOnlyList<Hit> Hits, IReadOnlyList<ScanWarning> Warnings)
{
    public string TaskId => Outcome.TaskId;
}
