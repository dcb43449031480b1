namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>Why an attempt of a task was started.</summary>
public enum AttemptKind
{
    /// <summary>The task's first run.</summary>
    First,
    /// <summary>Again, after a failure or a push-back.</summary>
    Retry,
    /// <summary>A copy of a straggler still running: the first result wins.</summary>
    Speculative,
}

/// <summary>One invocation of one task, as the scheduler started it.</summary>
/// <param name="Task">The task's index in the scheduler's list.</param>
/// <param name="StartedAt">Seconds on the scan's clock.</param>
/// <param name="Epoch">The concurrency target's epoch when it started: its 429 cuts the target only if no cut came since.</param>
/// <param name="PacingHintMs">The request spacing its worker is asked to start at (the source's push-back).</param>
public sealed record FleetAttempt(int Id, int Task, AttemptKind Kind, double StartedAt, int Epoch, double PacingHintMs);

/// <summary>What the REPORT line of an answered invocation said it cost.</summary>
public readonly record struct AttemptBill(long BilledMs, int? MemoryMb, int? MaxMemoryUsedMb, double? InitDurationMs)
{
    public static AttemptBill None => default;
}

/// <summary>What a task's worker saw of its source: requests, push-backs (503 SlowDown), retries.</summary>
public readonly record struct SourceReport(long Requests, long Slowdowns, long Retries);
