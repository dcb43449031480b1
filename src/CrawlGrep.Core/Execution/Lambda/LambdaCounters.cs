namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>What a Lambda scan cost and met: invocations, retries, throttles, and the billed time from the REPORT lines.</summary>
public sealed class LambdaCounters
{
    private long _answered, _invocations, _retries, _throttled, _serviceErrors, _workerErrors, _duplicates, _fromS3, _coldStarts, _billedMs, _speculative, _cancelled;
    private double _gbSeconds;

    public long Invocations => Interlocked.Read(ref _invocations);
    /// <summary>Invocations the function answered (with a result or its error).</summary>
    public long Answered => Interlocked.Read(ref _answered);
    public long Retries => Interlocked.Read(ref _retries);
    public long Throttled => Interlocked.Read(ref _throttled);
    public long ServiceErrors => Interlocked.Read(ref _serviceErrors);
    public long WorkerErrors => Interlocked.Read(ref _workerErrors);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long PartialsFromS3 => Interlocked.Read(ref _fromS3);
    public long ColdStarts => Interlocked.Read(ref _coldStarts);
    public long BilledMs => Interlocked.Read(ref _billedMs);
    public double GbSeconds { get { lock (this) return _gbSeconds; } }
    /// <summary>Speculative copies of stragglers invoked.</summary>
    public long Speculative => Interlocked.Read(ref _speculative);
    /// <summary>Invocations whose call was given up because a copy of the task answered first.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    internal void CountInvocation() => Interlocked.Increment(ref _invocations);
    internal void CountAnswered() => Interlocked.Increment(ref _answered);
    internal void CountRetry() => Interlocked.Increment(ref _retries);
    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
    internal void CountServiceError() => Interlocked.Increment(ref _serviceErrors);
    internal void CountWorkerError() => Interlocked.Increment(ref _workerErrors);
    internal void CountDuplicate() => Interlocked.Increment(ref _duplicates);
    internal void CountSpeculative() => Interlocked.Increment(ref _speculative);
    internal void CountCancelled() => Interlocked.Increment(ref _cancelled);
    internal void CountPartialFromS3() => Interlocked.Increment(ref _fromS3);

    internal void CountReport(LambdaReport? report)
    {
        if (report is null) return;
        if (report.ColdStart) Interlocked.Increment(ref _coldStarts);
        if (report.BilledDurationMs is long ms) Interlocked.Add(ref _billedMs, ms);
        if (report.GbSeconds is double gbs) lock (this) _gbSeconds += gbs;
    }
}
