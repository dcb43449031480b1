namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>When a straggling task gets a speculative copy, and how many copies a scan may spend.</summary>
public sealed record SpeculationOptions
{
    /// <summary>Off: no copies at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A task is a straggler when it has run this many times the typical time of a finished task of its size...</summary>
    public double Factor { get; init; } = 3;

    /// <summary>...plus this many seconds (a cold start, a slow first byte: no reason for a copy).</summary>
    public double SlackSeconds { get; init; } = 1;

    /// <summary>Copies start only once this share of tasks is done and none waits to start.</summary>
    public double MinDoneFraction { get; init; } = 0.5;

    /// <summary>At most this share of the scan's tasks get a copy...</summary>
    public double MaxCopiesFraction { get; init; } = 0.02;

    /// <summary>...but a small scan may have this many.</summary>
    public int MinCopies { get; init; } = 2;

    /// <summary>Finished tasks needed before a typical time is trusted.</summary>
    public int MinSamples { get; init; } = 3;
}
