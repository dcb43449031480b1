namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// What a function is billed at: per GB-second of its memory (the price depends on its architecture) and per
/// request. Turns the REPORT lines of a scan's invocations into the billing the result file keeps.
/// </summary>
public sealed record LambdaRate(double PerGbSecond, double PerRequest)
{
    public static LambdaRate X86_64(LambdaPrices? prices = null)
    {
        prices ??= new LambdaPrices();
        return new LambdaRate(prices.X86PerGbSecond, prices.PerMillionRequests / 1e6);
    }

    public static LambdaRate Arm64(LambdaPrices? prices = null)
    {
        prices ??= new LambdaPrices();
        return new LambdaRate(prices.Arm64PerGbSecond, prices.PerMillionRequests / 1e6);
    }

    /// <summary>The price of <paramref name="invocations"/> requests that ran for <paramref name="gbSeconds"/> in all.</summary>
    public double Dollars(double gbSeconds, long invocations) => gbSeconds * PerGbSecond + invocations * PerRequest;

    /// <summary>
    /// A task's billing. <paramref name="invocations"/> holds the REPORT of every invocation of the task that Lambda
    /// answered (null for an answer without a log tail: it is counted, and billed per request only);
    /// <paramref name="kept"/> is the one whose result was delivered (null when none was: a task that failed
    /// without an answer, or whose answer had no REPORT).
    /// </summary>
    public TaskBilling BillTask(IReadOnlyCollection<LambdaReport?> invocations, LambdaReport? kept)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        long billedMs = 0;
        double gbSeconds = 0;
        foreach (var report in invocations)
        {
            billedMs += report?.BilledDurationMs ?? 0;
            gbSeconds += report?.GbSeconds ?? 0;
        }
        return new TaskBilling(invocations.Count, billedMs, gbSeconds, Dollars(gbSeconds, invocations.Count),
            kept?.MemorySizeMb, kept?.MaxMemoryUsedMb, kept?.InitDurationMs);
    }

    /// <summary>
    /// A scan's (or a run's) billing from its executor's counters: the invocations Lambda answered, whose result was
    /// kept or not. A throttled or refused request ran nothing and is not billed.
    /// </summary>
    public ScanBilling BillScan(LambdaCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        long invocations = counters.Answered;
        double gbSeconds = counters.GbSeconds;
        return new ScanBilling(invocations, counters.BilledMs, gbSeconds, Dollars(gbSeconds, invocations));
    }
}
