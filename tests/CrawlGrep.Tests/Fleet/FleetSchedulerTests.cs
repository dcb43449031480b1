using CrawlGrep.Core.Execution.Fleet;

namespace CrawlGrep.Tests.Fleet;

/// <summary>The scheduler's decisions, driven by hand on a clock the test moves.</summary>
public sealed class FleetSchedulerTests
{
    /// <summary>Runs every task to success, each taking <paramref name="seconds"/>(task): returns the finish time.</summary>
    private static double RunAll(FleetScheduler fleet, Func<int, double> seconds, int maxSteps = 1_000_000)
    {
        var ends = new PriorityQueue<FleetAttempt, double>();
        double now = 0;
        for (int step = 0; step < maxSteps; step++)
        {
            while (fleet.TryStart(now) is { } a) ends.Enqueue(a, now + seconds(a.Task));
            if (fleet.Finished) return now;
            double next = fleet.NextCheck(now);
            if (ends.TryPeek(out var first, out double end) && end <= next)
            {
                ends.Dequeue();
                now = end;
                if (!fleet.IsSettled(first.Task) || true)
                {
                    bool delivered = !fleet.IsSettled(first.Task);
                    foreach (var other in fleet.Succeeded(first, now, delivered, default)) { }
                }
            }
            else if (!double.IsPositiveInfinity(next)) now = next;
            else throw new InvalidOperationException($"stuck at {now}: {fleet.Done} of {fleet.TaskCount} done, {fleet.InFlight} in flight");
        }
        throw new InvalidOperationException("too many steps");
    }

    [Fact]
    public void Every_task_runs_once_at_the_concurrency_asked_for()
    {
        var fleet = new FleetScheduler(Enumerable.Repeat(1_000_000L, 300).ToList(), new FleetOptions { MaxConcurrency = 6 });
        double end = RunAll(fleet, _ => 1.0);
        Assert.Equal(300, fleet.Done);
        Assert.Equal(6, fleet.Timeline.Peak);
        Assert.Equal(50.0, end, 3);
        Assert.Equal(0, fleet.Stragglers.Copies);
    }
}
