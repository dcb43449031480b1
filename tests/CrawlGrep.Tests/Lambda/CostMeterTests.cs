using CrawlGrep.Core.Execution.Fleet;
using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Lambda;

/// <summary>The cap's arithmetic: what a task is expected to cost, before and after the bills come in.</summary>
public sealed class CostMeterTests
{
    private static readonly LambdaRate Rate = new(PerGbSecond: 1.0, PerRequest: 0);
    private const long Task = 1 << 20;

    [Fact]
    public void The_first_bills_raise_a_too_low_estimate_at_once()
    {
        // The plan guesses 0.1 s a task at 1,024 MB ($0.1 at $1 a GB-s); the first task is billed 0.5 s.
        var meter = new CostMeter(Rate, 1024, cap: 1.2, priorSecondsPerByte: 0.1 / Task);
        Assert.Equal(0.1, meter.Expected(Task), 9);
        meter.OnInvocation();
        meter.OnTaskBilled(Task, meter.OnBilled(500, 1024));
        Assert.Equal(0.5, meter.Expected(Task), 9);
        // Billed 0.5, one task in flight (0.5): one more fits under 1.2, a second would not.
        Assert.True(meter.Allows(Task, inFlightBytes: 0));
        Assert.False(meter.Allows(Task, inFlightBytes: Task));
        Assert.True(meter.CapReached);
    }

    [Fact]
    public void A_bill_lower_than_the_estimate_counts_only_from_three_tasks_on()
    {
        var meter = new CostMeter(Rate, 1024, cap: null, priorSecondsPerByte: 0.4 / Task);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(0.4, meter.Expected(Task), 9); // one or two cheap tasks do not lower the guess yet
            meter.OnTaskBilled(Task, meter.OnBilled(100, 1024));
        }
        Assert.Equal(0.1, meter.Expected(Task), 9);
        Assert.True(meter.Allows(100 * Task, 0)); // no cap: always
    }
}
