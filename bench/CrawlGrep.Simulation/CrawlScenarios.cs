using CrawlGrep.Core.Execution.Fleet;

namespace CrawlGrep.Simulation;

/// <summary>The crawls the simulation table compares: one crawl's WET and WARC files at several concurrencies, and the limits that push back.</summary>
public static class CrawlScenarios
{
    /// <summary>The goals: a crawl's WARC files at 2,000 workers in an hour for $40; its WET files in 10 minutes for $10.</summary>
    public const double WarcGoalMinutes = 60, WarcGoalDollars = 40, WetGoalMinutes = 10, WetGoalDollars = 10;

    public static SimulationOptions Wet(int concurrency, int seed = 1) => new()
    {
        Name = $"WET, {concurrency:N0} workers",
        TaskBytes = CrawlWorkload.Wet(concurrency, seed: seed),
        Fleet = new FleetOptions { MaxConcurrency = concurrency },
        Seed = seed,
    };

    public static SimulationOptions Warc(int concurrency, int seed = 1) => new()
    {
        Name = $"WARC, {concurrency:N0} workers",
        TaskBytes = CrawlWorkload.Warc(concurrency, seed: seed),
        Fleet = new FleetOptions { MaxConcurrency = concurrency },
        Seed = seed,
    };

    public static IEnumerable<SimulationOptions> All(int seed = 1)
    {
        foreach (int c in new[] { 500, 1000, 2000 }) yield return Wet(c, seed);
        foreach (int c in new[] { 500, 1000, 2000, 3000 }) yield return Warc(c, seed);
        yield return Warc(2000, seed) with { Name = "WARC, 2,000 asked, account limit 1,000 (429s)", AccountLimit = 1000 };
        yield return Wet(2000, seed) with { Name = "WET, 2,000 asked, account limit 1,000 (429s)", AccountLimit = 1000 };
        yield return Wet(2000, seed) with { Name = "WET, 2,000, bucket 2,000 GET/s (503s)", BucketRequestsPerSecond = 2000 };
        yield return Wet(2000, seed) with { Name = "WET, 2,000, bucket 2,000 GET/s, push-back not reported", BucketRequestsPerSecond = 2000, ReportSourcePushback = false };
        // What the ramp's 429s cost: Lambda adding environments as fast as the fleet asks.
        yield return Wet(2000, seed) with { Name = "WET, 2,000, no scaling-rate limit", NewEnvironmentsPerWindow = int.MaxValue };
        yield return Warc(2000, seed) with { Name = "WARC, 2,000, no scaling-rate limit", NewEnvironmentsPerWindow = int.MaxValue };
        var warc = Warc(2000, seed);
        yield return warc with { Name = "WARC, 2,000, no speculation", Fleet = warc.Fleet with { Speculation = new SpeculationOptions { Enabled = false } } };
        yield return warc with { Name = "WARC, 2,000, no tail (floor)", TaskTime = TaskTimeModel.None };
        yield return warc with { Name = "WARC, 2,000, arm64", Fleet = warc.Fleet with { Rate = CrawlGrep.Core.Execution.Lambda.LambdaRate.Arm64() } };
    }
}
