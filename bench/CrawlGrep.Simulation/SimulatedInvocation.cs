using CrawlGrep.Core.Execution.Fleet;

namespace CrawlGrep.Simulation;

/// <summary>
/// One invocation running in a simulated environment: its task's range read as a few GETs, each followed by the
/// scanning of what it fetched. The worker paces its own requests as the real one does (<c>RequestPacer</c>): it
/// starts at the scheduler's pacing hint, doubles its spacing on a 503 (from 50 ms, jittered, at most 10 s) and
/// shrinks it by a tenth on each success.
/// </summary>
public sealed class SimulatedInvocation(FleetAttempt attempt, double startedAt, double initSeconds, double workSeconds, int gets)
{
    private const double MinSpacing = 0.05, MaxSpacing = 10;

    public FleetAttempt Attempt => attempt;
    public double StartedAt => startedAt;
    public double InitSeconds => initSeconds;

    /// <summary>Seconds of scanning in all, shared evenly by the GETs.</summary>
    public double WorkSeconds => workSeconds;
    public int Gets => gets;

    /// <summary>GETs served so far.</summary>
    public int Served { get; private set; }

    /// <summary>The scheduler was told this run is over (its copy won): Lambda still runs it to the end, and bills it.</summary>
    public bool Abandoned { get; set; }

    public long Requests { get; private set; }
    public long SlowDowns { get; private set; }
    public long Retries { get; private set; }

    public double SpacingSeconds { get; private set; } = Math.Min(MaxSpacing, attempt.PacingHintMs / 1000);
    private double _lastRequest = double.NegativeInfinity;

    public bool Complete => Served >= gets;

    /// <summary>A GET at <paramref name="now"/> was answered; returns when the worker makes its next request, or finishes.</summary>
    public double OnAnswer(double now, bool served, Random random)
    {
        Requests++;
        _lastRequest = now;
        if (served)
        {
            Served++;
            SpacingSeconds *= 0.9;
            return Math.Max(now + workSeconds / gets, _lastRequest + SpacingSeconds);
        }
        SlowDowns++;
        Retries++;
        SpacingSeconds = Math.Min(MaxSpacing, Math.Max(MinSpacing, SpacingSeconds * 2));
        return now + SpacingSeconds * (0.5 + random.NextDouble() / 2);
    }

    /// <summary>Milliseconds Lambda billed it (init and run), once it ended.</summary>
    public long BilledMs { get; set; }

    public SourceReport Report => new(Requests, SlowDowns, Retries);
}
