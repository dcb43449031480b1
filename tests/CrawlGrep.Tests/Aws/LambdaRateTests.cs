using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Execution.Fleet;
using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Aws;

/// <summary>A task's and a scan's bill, from the REPORT lines of their invocations, as the fleet scheduler keeps it.</summary>
public sealed class LambdaRateTests
{
    private static readonly LambdaReport FailedColdTry =
        LambdaReport.Parse("REPORT RequestId: a\tDuration: 1499.1 ms\tBilled Duration: 1500 ms\tMemory Size: 1769 MB\tMax Memory Used: 300 MB\tInit Duration: 180.5 ms")!;
    private static readonly LambdaReport KeptWarmTry =
        LambdaReport.Parse("REPORT RequestId: b\tDuration: 2999.2 ms\tBilled Duration: 3000 ms\tMemory Size: 1769 MB\tMax Memory Used: 612 MB")!;

    private static AttemptBill Bill(LambdaReport r) => new(r.BilledDurationMs ?? 0, r.MemorySizeMb, r.MaxMemoryUsedMb, r.InitDurationMs);

    [Fact]
    public void A_task_is_billed_for_every_invocation_and_described_by_the_kept_one()
    {
        var fleet = new FleetScheduler([1_000_000], new FleetOptions { MaxConcurrency = 1, RetryBaseSeconds = 0 });
        var first = fleet.TryStart(0)!;
        fleet.Billed(first, Bill(FailedColdTry));
        Assert.True(fleet.WorkerFailed(first, 1.5));
        var second = fleet.TryStart(2)!;                 // answered without a log tail: a request paid for, no GB-s known
        Assert.True(fleet.WorkerFailed(second, 2.1));
        var third = fleet.TryStart(3)!;
        fleet.Billed(third, Bill(KeptWarmTry));
        var bill = fleet.BillOf(third.Task, Bill(KeptWarmTry));
        fleet.Succeeded(third, 6, delivered: true, default);

        double gbSeconds = 4.5 * 1769 / 1024;
        Assert.Equal(3, bill.Invocations);
        Assert.Equal(4500, bill.BilledMs);
        Assert.Equal(gbSeconds, bill.GbSeconds, 12);
        Assert.Equal(gbSeconds * 0.0000166667 + 3 * 0.20 / 1e6, bill.Dollars, 15);
        Assert.Equal((1769, 612, (double?)null), (bill.MemorySizeMb!.Value, bill.MaxMemoryUsedMb!.Value, bill.InitDurationMs));
        Assert.Equal(new ScanBilling(3, 4500, bill.GbSeconds, bill.Dollars), fleet.Bill);
        Assert.True(LambdaRate.Arm64().Dollars(gbSeconds, 3) < LambdaRate.X86_64().Dollars(gbSeconds, 3));
    }

    [Fact]
    public void A_throttled_invocation_ran_nothing_and_is_not_billed()
    {
        var fleet = new FleetScheduler([1_000_000], new FleetOptions { MaxConcurrency = 1 });
        var throttled = fleet.TryStart(0)!;
        fleet.Throttled(throttled, 0.1, retryAfterSeconds: 1);
        Assert.Null(fleet.TryStart(0.5));                // Retry-After holds the task back
        var kept = fleet.TryStart(1.2)!;
        fleet.Billed(kept, Bill(KeptWarmTry));
        Assert.Equal(1, fleet.BillOf(kept.Task).Invocations);
        fleet.Succeeded(kept, 4.2, delivered: true, default);
        Assert.Equal(1, fleet.Bill.Invocations);
        Assert.Equal(1, fleet.Throttles);
    }
}
