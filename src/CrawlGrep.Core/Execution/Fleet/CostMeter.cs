using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>
/// The running bill of a fan-out: every invocation's request, and the GB-seconds its REPORT line says were billed.
/// It also answers whether one more task fits under a cost cap, counting what is in flight at its expected cost, so
/// a cap is not overrun by the tasks running when it is reached.
/// </summary>
public sealed class CostMeter(LambdaRate rate, int memoryMb, double? cap, double priorSecondsPerByte)
{
    private double _observedGbSeconds;
    private long _observedBytes;
    private int _observedTasks;

    public LambdaRate Rate => rate;

    public double? Cap => cap;

    public long Invocations { get; private set; }
    public long BilledMs { get; private set; }
    public double GbSeconds { get; private set; }

    /// <summary>Dollars billed so far: requests and compute.</summary>
    public double Dollars => rate.Dollars(GbSeconds, Invocations);

    /// <summary>True once a task was held back by the cap: the scan stops invoking.</summary>
    public bool CapReached { get; private set; }

    public void OnInvocation() => Invocations++;

    /// <summary>The service refused an invocation (429): Lambda bills no request it did not run.</summary>
    public void OnInvocationRefused() => Invocations--;

    /// <summary>An invocation's REPORT: billed milliseconds at the memory it ran with.</summary>
    public double OnBilled(long billedMs, int? memory)
    {
        double gbs = billedMs / 1000.0 * (memory ?? memoryMb) / 1024.0;
        BilledMs += billedMs;
        GbSeconds += gbs;
        return gbs;
    }

    /// <summary>A task of <paramref name="bytes"/> finished with <paramref name="gbSeconds"/> billed in all: what later tasks are expected to cost.</summary>
    public void OnTaskBilled(long bytes, double gbSeconds)
    {
        _observedGbSeconds += gbSeconds;
        _observedBytes += bytes;
        _observedTasks++;
    }

    /// <summary>The expected cost of a task of <paramref name="bytes"/>: from the tasks billed so far, else the plan's estimate.</summary>
    public double Expected(long bytes)
    {
        // Three tasks billed are the evidence; before that the plan's estimate, unless the first bills already say a
        // task costs more: a cap must not let more tasks start on a guess the bills have proved too low.
        double prior = priorSecondsPerByte * memoryMb / 1024.0;
        double observed = _observedBytes > 0 ? _observedGbSeconds / _observedBytes : 0;
        double gbsPerByte = _observedTasks >= 3 && _observedBytes > 0 ? observed : Math.Max(prior, observed);
        return rate.Dollars(bytes * gbsPerByte, 1);
    }

    /// <summary>Whether a task of <paramref name="bytes"/> may start while tasks of <paramref name="inFlightBytes"/> run.</summary>
    public bool Allows(long bytes, long inFlightBytes)
    {
        if (cap is not double limit || CapReached) return !CapReached;
        if (Dollars + Expected(inFlightBytes) + Expected(bytes) <= limit) return true;
        CapReached = true;
        return false;
    }
}
