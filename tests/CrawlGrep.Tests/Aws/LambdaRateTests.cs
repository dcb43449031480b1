using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Aws;

public sealed class LambdaRateTests
{
    private static readonly LambdaReport FailedColdTry =
        LambdaReport.Parse("REPORT RequestId: a\tDuration: 1499.1 ms\tBilled Duration: 1500 ms\tMemory Size: 1769 MB\tMax Memory Used: 300 MB\tInit Duration: 180.5 ms")!;
    private static readonly LambdaReport KeptWarmTry =
        LambdaReport.Parse("REPORT RequestId: b\tDuration: 2999.2 ms\tBilled Duration: 3000 ms\tMemory Size: 1769 MB\tMax Memory Used: 612 MB")!;

    [Fact]
    public void A_task_is_billed_for_every_invocation_and_described_by_the_kept_one()
    {
        var rate = LambdaRate.X86_64();
        var bill = rate.BillTask([FailedColdTry, null, KeptWarmTry], KeptWarmTry);
        double gbSeconds = 4.5 * 1769 / 1024;
        Assert.Equal(3, bill.Invocations);          // the answer without a log tail is still a request paid for
        Assert.Equal(4500, bill.BilledMs);
        Assert.Equal(gbSeconds, bill.GbSeconds, 12);
        Assert.Equal(gbSeconds * 0.0000166667 + 3 * 0.20 / 1e6, bill.Dollars, 15);
        Assert.Equal((1769, 612, (double?)null), (bill.MemorySizeMb!.Value, bill.MaxMemoryUsedMb!.Value, bill.InitDurationMs));

        var cold = rate.BillTask([FailedColdTry], FailedColdTry);
        Assert.Equal(180.5, cold.InitDurationMs);
        Assert.True(LambdaRate.Arm64().BillTask([KeptWarmTry], KeptWarmTry).Dollars < rate.BillTask([KeptWarmTry], KeptWarmTry).Dollars);
    }

    [Fact]
    public void A_task_never_answered_costs_nothing()
    {
        var bill = LambdaRate.X86_64().BillTask([], kept: null);
        Assert.Equal(new Core.Execution.TaskBilling(0, 0, 0, 0, null, null, null), bill);
    }

    [Fact]
    public void A_scan_is_billed_for_the_invocations_answered_not_those_throttled()
    {
        var counters = new LambdaCounters();
        foreach (var report in new[] { FailedColdTry, KeptWarmTry })
        {
            counters.CountInvocation();
            counters.CountReport(report);
            counters.CountAnswered();
        }
        counters.CountInvocation();
        counters.CountThrottled();
        var rate = LambdaRate.X86_64();
        var bill = rate.BillScan(counters);
        Assert.Equal(2, bill.Invocations);
        Assert.Equal(4500, bill.BilledMs);
        Assert.Equal(rate.BillTask([FailedColdTry, KeptWarmTry], KeptWarmTry).Dollars, bill.Dollars, 15);
    }

    [Fact]
    public void Reports_gathered_from_copies_at_once_are_all_billed()
    {
        var reports = new TaskReports();
        Parallel.For(0, 1000, i => reports.Add(i % 2 == 0 ? FailedColdTry : KeptWarmTry));
        Assert.Equal(1000, reports.Count);
        var bill = reports.Bill(KeptWarmTry, LambdaRate.X86_64());
        Assert.Equal(1000, bill.Invocations);
        Assert.Equal(500 * 1500 + 500 * 3000, bill.BilledMs);
    }
}
