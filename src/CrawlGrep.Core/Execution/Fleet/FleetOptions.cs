using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>How a fleet of workers is driven: concurrency and its ramp, retries, speculation, the cost cap.</summary>
public sealed record FleetOptions
{
    /// <summary>Invocations in flight at most.</summary>
    public int MaxConcurrency { get; init; } = 1000;

    /// <summary>How fast Lambda adds execution environments to one function: so many every so many seconds.</summary>
    public int RampStep { get; init; } = 1000;
    public double RampStepSeconds { get; init; } = 10;

    /// <summary>Tries of a task whose worker failed (crashed, timed out, threw) before it is recorded failed.</summary>
    public int MaxTaskAttempts { get; init; } = 3;

    /// <summary>Tries of a task the service failed (5xx, no answer) before it is recorded failed; throttles are waited out.</summary>
    public int MaxServiceAttempts { get; init; } = 8;

    public double RetryBaseSeconds { get; init; } = 0.5;
    public double RetryMaxSeconds { get; init; } = 30;

    /// <summary>A longer Retry-After is taken as this.</summary>
    public double MaxRetryAfterSeconds { get; init; } = 120;

    public SpeculationOptions Speculation { get; init; } = new();

    /// <summary>Stop invoking before the bill would pass this many dollars.</summary>
    public double? MaxCostDollars { get; init; }

    /// <summary>What the function is billed at, and the memory it runs with.</summary>
    public LambdaRate Rate { get; init; } = LambdaRate.X86_64();
    public int MemoryMb { get; init; } = LambdaCostModel.OneVcpuMb;

    /// <summary>The billed seconds per byte expected before any task has finished (the plan's estimate).</summary>
    public double PriorSecondsPerByte { get; init; } = 1 / 70e6;

    /// <summary>Seeds the retry jitter and the straggler reservoir: a simulation repeats exactly.</summary>
    public int Seed { get; init; }
}
