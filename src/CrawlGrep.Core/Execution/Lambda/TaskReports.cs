namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// The REPORT lines of one task's invocations, gathered as they are answered: its tries and speculative copies may
/// answer at once. Every answered invocation belongs here, one whose answer could not be read too (it was billed all
/// the same), so the task's row says what the task cost, not only what its kept try did.
/// </summary>
public sealed class TaskReports
{
    private readonly List<LambdaReport?> _reports = new();

    /// <summary>Adds an answered invocation (its REPORT, or null when its answer had no log tail).</summary>
    public void Add(LambdaReport? report)
    {
        lock (_reports) _reports.Add(report);
    }

    /// <summary>Invocations added so far.</summary>
    public int Count
    {
        get { lock (_reports) return _reports.Count; }
    }

    /// <summary>The task's billing so far, <paramref name="kept"/> being the invocation whose result is delivered.</summary>
    public TaskBilling Bill(LambdaReport? kept, LambdaRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        lock (_reports) return rate.BillTask(_reports, kept);
    }
}
