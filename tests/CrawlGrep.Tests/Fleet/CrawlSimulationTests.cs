using CrawlGrep.Core.Execution.Fleet;
using CrawlGrep.Simulation;

namespace CrawlGrep.Tests.Fleet;

/// <summary>The fleet scheduler driven through whole simulated crawls: what the limits, the tail and speculation do to them.</summary>
public sealed class CrawlSimulationTests
{
    /// <summary>70 MB: one second of one worker (an S3 stream's 70 MB/s).</summary>
    private const long OneSecond = 70_000_000;

    /// <summary>A fleet with nothing in its way: no tail, no cold starts, no latency, no limits but its own concurrency.</summary>
    private static SimulationOptions Unhindered(int tasks, int concurrency, int seed = 1) => new()
    {
        Name = "unhindered",
        TaskBytes = Enumerable.Repeat(OneSecond, tasks).ToList(),
        Fleet = new FleetOptions { MaxConcurrency = concurrency },
        AccountLimit = int.MaxValue,
        NewEnvironmentsPerWindow = int.MaxValue,
        ColdStartMinSeconds = 0,
        ColdStartMaxSeconds = 0,
        InvokeLatencySeconds = 0,
        BucketRequestsPerSecond = double.PositiveInfinity,
        TaskTime = TaskTimeModel.None,
        Seed = seed,
    };

    [Fact]
    public void An_unhindered_fleet_takes_its_total_work_over_its_concurrency()
    {
        var r = CrawlSimulation.Run(Unhindered(tasks: 3000, concurrency: 100));

        Assert.Equal(3000, r.Done);
        Assert.Equal(3000, r.Invocations);
        Assert.Equal(30.0, r.WallSeconds, 0.3);
        Assert.Equal(0, r.Throttles);
        Assert.Equal(0, r.Copies);
        Assert.Equal(100, r.PeakConcurrency);
        // 1 s of 1,769 MB for each task, rounded up to the millisecond.
        Assert.Equal(3000 * 1769 / 1024.0, r.GbSeconds, 1.0);
    }

    [Fact]
    public void An_account_limit_below_the_concurrency_asked_slows_the_crawl_and_its_429s_stay_bounded()
    {
        const int tasks = 4000;
        var raised = CrawlSimulation.Run(Unhindered(tasks, concurrency: 400) with { AccountLimit = 400 });
        var storm = CrawlSimulation.Run(Unhindered(tasks, concurrency: 400) with { AccountLimit = 100 });

        Assert.Equal(tasks, storm.Done);
        Assert.True(storm.WallSeconds > 2 * raised.WallSeconds, $"{storm.WallSeconds:0.0} s under a limit of 100, {raised.WallSeconds:0.0} s under 400");
        Assert.True(storm.Throttles > 0);
        // The client backs off: a few 429s per task at most, not a storm that grows with time.
        Assert.True(storm.Throttles <= 2 * tasks, $"{storm.Throttles} 429s for {tasks} tasks");
        // And it still uses most of what the account allows: at least 60% of 100 workers' pace.
        Assert.True(storm.WallSeconds < tasks / 100.0 / 0.6, $"{storm.WallSeconds:0.0} s");
        Assert.Equal(tasks, storm.Invocations);
    }

    [Fact]
    public void Speculative_copies_cut_a_tail_within_their_budget()
    {
        var tail = new TaskTimeModel { BodySigma = 0.1, TailShare = 0.03, TailMin = 10, TailMax = 20 };
        var options = Unhindered(tasks: 2000, concurrency: 100, seed: 7) with { TaskTime = tail };
        var on = CrawlSimulation.Run(options);
        var off = CrawlSimulation.Run(options with { Fleet = options.Fleet with { Speculation = new SpeculationOptions { Enabled = false } } });

        Assert.Equal(0, off.Copies);
        Assert.True(on.Copies > 0);
        Assert.True(on.Copies <= on.CopyBudget, $"{on.Copies} copies, budget {on.CopyBudget}");
        Assert.True(on.CopiesWon > 0);
        Assert.True(on.WallSeconds < off.WallSeconds, $"{on.WallSeconds:0.0} s with copies, {off.WallSeconds:0.0} s without");
    }

    [Fact]
    public void A_bucket_that_pushes_back_makes_the_fleet_slow_down_and_fewer_requests_are_refused()
    {
        // 200 workers making 3 GETs a second each want 600 GETs/s of a bucket that takes 200.
        var options = Unhindered(tasks: 3000, concurrency: 200) with { BucketRequestsPerSecond = 200 };
        var simulation = new CrawlSimulation(options);
        var reported = simulation.Run();
        var unreported = CrawlSimulation.Run(options with { ReportSourcePushback = false });

        Assert.Equal(3000, reported.Done);
        Assert.True(simulation.Fleet.Source.Cuts > 0);
        Assert.Equal(0, unreported.SourceCuts);
        Assert.True(reported.SlowDowns > 0);
        Assert.True(reported.SlowDowns < unreported.SlowDowns, $"{reported.SlowDowns} 503s with the fleet's backoff, {unreported.SlowDowns} without");
    }

    [Fact]
    public void The_same_seed_gives_the_same_crawl()
    {
        var options = CrawlScenarios.Wet(200) with { TaskBytes = CrawlWorkload.Wet(200, files: 2000) };
        var a = CrawlSimulation.Run(options);
        var b = CrawlSimulation.Run(options);
        Assert.Equal(a.WallSeconds, b.WallSeconds);
        Assert.Equal(a.GbSeconds, b.GbSeconds);
        Assert.Equal(a.Copies, b.Copies);
    }
}
