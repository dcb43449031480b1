using CrawlGrep.Core.Execution.Fleet;
using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Simulation;

/// <summary>One simulated crawl: its tasks, the fleet's options, and the Lambda and S3 it runs against.</summary>
public sealed record SimulationOptions
{
    public required string Name { get; init; }

    /// <summary>Each task's bytes, in plan order (see <see cref="CrawlWorkload"/>).</summary>
    public required IReadOnlyList<long> TaskBytes { get; init; }

    /// <summary>The scheduler's options as the Lambda executor would give them (concurrency, ramp, speculation, cap).</summary>
    public required FleetOptions Fleet { get; init; }

    /// <summary>
    /// Compressed bytes one core scans per second with the scan's patterns. <c>crawlgrep plan --lambda</c> prints the
    /// figure measured on the machine it runs on (152-165 MB/s of .warc.gz per core for the README's patterns); 100 MB/s
    /// is a conservative default for both WARC and WET. A worker is capped at one S3 stream either way.
    /// </summary>
    public double ScanBytesPerSecondPerCore { get; init; } = 100e6;

    /// <summary>The account's concurrency limit; null: what the run asks for (a raised limit).</summary>
    public int? AccountLimit { get; init; }

    /// <summary>Lambda's scaling rate for one function: so many new environments per window.</summary>
    public int NewEnvironmentsPerWindow { get; init; } = 1000;
    public double ScalingWindowSeconds { get; init; } = 10;

    /// <summary>A new environment's init, drawn uniformly from this range (zero: no cold starts).</summary>
    public double ColdStartMinSeconds { get; init; } = 0.15;
    public double ColdStartMaxSeconds { get; init; } = 0.40;

    /// <summary>The Invoke call's round trip outside the function (not billed).</summary>
    public double InvokeLatencySeconds { get; init; } = 0.02;

    /// <summary>The source bucket's GET rate limit (S3 documents 5,500 GETs/s per prefix).</summary>
    public double BucketRequestsPerSecond { get; init; } = 5500;

    /// <summary>A task makes one GET to find its first record, then one per this many bytes of its range.</summary>
    public long BytesPerGet { get; init; } = 64L << 20;

    public TaskTimeModel TaskTime { get; init; } = new();

    /// <summary>False: workers report no push-backs to the scheduler (as if the fleet-wide source backoff were off).</summary>
    public bool ReportSourcePushback { get; init; } = true;

    /// <summary>What a worker's REPORT says it used at most.</summary>
    public int MaxMemoryUsedMb { get; init; } = 310;

    public int Seed { get; init; } = 1;

    public int Concurrency => Fleet.MaxConcurrency;
    public int EffectiveAccountLimit => AccountLimit ?? Fleet.MaxConcurrency;

    /// <summary>How fast one worker reads its range: its share of a core, no faster than one S3 stream.</summary>
    public double WorkerBytesPerSecond => LambdaCostModel.WorkerBytesPerSecond(ScanBytesPerSecondPerCore, Fleet.MemoryMb);
}
