namespace CrawlGrep.Simulation;

/// <summary>What one simulated crawl took and cost.</summary>
public sealed record SimulationResult
{
    public required string Name { get; init; }
    public int Tasks { get; init; }
    public int Concurrency { get; init; }
    public int AccountLimit { get; init; }
    public long TotalBytes { get; init; }

    /// <summary>Tasks delivered; fewer than <see cref="Tasks"/> only if the run stopped (cost cap).</summary>
    public int Done { get; init; }

    public double WallSeconds { get; init; }
    public double WallMinutes => WallSeconds / 60;

    /// <summary>What Lambda bills (x86_64): every invocation that ran, including copies that lost and ran on.</summary>
    public double Dollars { get; init; }
    public double GbSeconds { get; init; }

    /// <summary>The part of <see cref="Dollars"/> the scheduler's bill never saw: losing copies whose REPORT nobody read.</summary>
    public double UnseenDollars { get; init; }

    /// <summary>Invocations Lambda ran (a 429 is not one).</summary>
    public long Invocations { get; init; }
    public long Throttles { get; init; }
    public long ThrottlesByScaling { get; init; }
    public long ColdStarts { get; init; }

    public long SourceRequests { get; init; }
    public long SlowDowns { get; init; }
    public int SourceCuts { get; init; }
    public int ConcurrencyCuts { get; init; }

    public int Copies { get; init; }
    public int CopiesWon { get; init; }
    public int CopyBudget { get; init; }

    public int PeakConcurrency { get; init; }
    public double MeanConcurrency { get; init; }

    /// <summary>When the last task that waited to start started: the tail is what comes after it.</summary>
    public double LastStartSeconds { get; init; }

    /// <summary>The sum of every task's nominal run time over the concurrency: the wall time of a perfect fleet.</summary>
    public double IdealSeconds { get; init; }

    /// <summary>How long the simulation itself took (real time).</summary>
    public double SimulationSeconds { get; init; }
    public long Events { get; init; }

    /// <summary>Times NextCheck said a start was due and TryStart gave none (the clock was nudged on).</summary>
    public long SchedulerStalls { get; init; }
}
