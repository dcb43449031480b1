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

/// <summary>Throttling, the ramp, stragglers, the cost cap and the source's push-back, one decision at a time.</summary>
public sealed class FleetDecisionTests
{
    private static List<long> Tasks(int n, long bytes = 100_000_000) => Enumerable.Repeat(bytes, n).ToList();

    [Fact]
    public void A_burst_of_429s_halves_the_target_once_and_each_throttled_task_waits_its_Retry_After()
    {
        var fleet = new FleetScheduler(Tasks(100), new FleetOptions { MaxConcurrency = 64 });
        var started = new List<FleetAttempt>();
        while (fleet.TryStart(0) is { } a) started.Add(a);
        Assert.Equal(64, started.Count);
        foreach (var a in started.Take(40)) fleet.Throttled(a, 0.1, retryAfterSeconds: 2);
        Assert.Equal(32, fleet.Concurrency.Target);        // one cut for the whole burst, not forty
        Assert.Equal(1, fleet.Concurrency.Cuts);
        var refill = new List<FleetAttempt>();
        while (fleet.TryStart(0.2) is { } a) refill.Add(a);
        Assert.Equal(8, refill.Count);                      // up to the new target of 32, with tasks not yet throttled
        Assert.All(refill, a => Assert.Equal(AttemptKind.First, a.Kind));
        foreach (var a in refill) fleet.Succeeded(a, 1.0, delivered: true, default);
        var before = new List<FleetAttempt>();
        while (fleet.TryStart(1.0) is { } a) before.Add(a);
        Assert.All(before, a => Assert.Equal(AttemptKind.First, a.Kind)); // the throttled wait their Retry-After...
        foreach (var a in before) fleet.Succeeded(a, 2.2, delivered: true, default);
        var late = new List<FleetAttempt>();
        while (fleet.TryStart(2.2) is { } a) late.Add(a);
        Assert.NotEmpty(late);
        Assert.All(late, a => Assert.Equal(AttemptKind.Retry, a.Kind));  // ...then go first
        Assert.True(fleet.InFlight <= fleet.Concurrency.Target);
    }

    [Fact]
    public void The_fleet_ramps_as_Lambda_adds_environments()
    {
        var fleet = new FleetScheduler(Tasks(5000), new FleetOptions { MaxConcurrency = 3000 });
        int n = 0;
        while (fleet.TryStart(0) is not null) n++;
        Assert.Equal(1000, n);                              // the burst
        Assert.Equal(10.0, fleet.NextCheck(0), 6);          // the next step of 1,000 comes at 10 s
        while (fleet.TryStart(10) is not null) n++;
        Assert.Equal(2000, n);                              // 1,000 more per 10 s
        while (fleet.TryStart(60) is not null) n++;
        Assert.Equal(3000, n);                              // up to what was asked for
    }

    [Fact]
    public void A_straggler_gets_one_copy_once_the_queue_is_empty_and_the_first_answer_wins()
    {
        var fleet = new FleetScheduler(Tasks(10), new FleetOptions { MaxConcurrency = 10 });
        var all = new List<FleetAttempt>();
        while (fleet.TryStart(0) is { } a) all.Add(a);
        foreach (var a in all.Skip(1)) fleet.Succeeded(a, 1.0, delivered: true, default);
        var slow = all[0];
        Assert.Null(fleet.TryStart(2.0));                    // 2 s is not yet a straggler: 3 × 1 s + 1 s
        Assert.Equal(4.0, fleet.NextCheck(2.0), 3);
        var copy = fleet.TryStart(4.5);
        Assert.NotNull(copy);
        Assert.Equal(AttemptKind.Speculative, copy.Kind);
        Assert.Equal(slow.Task, copy.Task);
        Assert.Null(fleet.TryStart(10));                     // one copy per task
        var losers = fleet.Succeeded(copy, 5.5, delivered: true, default);
        Assert.Equal([slow], losers);                        // the original is to be cancelled
        fleet.Abandoned(slow, 5.6);
        Assert.True(fleet.Finished);
        Assert.Equal(1, fleet.Stragglers.CopiesWon);
    }

    [Fact]
    public void The_cost_cap_stops_starting_tasks_before_the_bill_would_pass_it()
    {
        // Each 100 MB task bills 1 s at 1,769 MB: 1.7275 GB-s, about $0.0000290 with its request.
        var fleet = new FleetScheduler(Tasks(100), new FleetOptions { MaxConcurrency = 2, MaxCostDollars = 0.0002, PriorSecondsPerByte = 1e-8 });
        int done = 0;
        double now = 0;
        while (true)
        {
            var a = fleet.TryStart(now);
            if (a is null) { if (fleet.InFlight == 0) break; throw new InvalidOperationException("nothing in flight, nothing started"); }
            fleet.Billed(a, new AttemptBill(1000, 1769, 200, null));
            fleet.Succeeded(a, now += 1, delivered: true, default);
            done++;
        }
        Assert.True(fleet.Cost.CapReached);
        Assert.True(fleet.Finished);
        Assert.Equal("cost cap", fleet.Halted);
        Assert.InRange(done, 5, 7);
        Assert.True(fleet.Bill.Dollars <= 0.0002, $"billed ${fleet.Bill.Dollars}");
    }

    [Fact]
    public void Push_back_from_the_source_slows_the_whole_fleet_and_it_recovers_gently()
    {
        var fleet = new FleetScheduler(Tasks(1000), new FleetOptions { MaxConcurrency = 100 });
        var running = new Queue<FleetAttempt>();
        while (fleet.TryStart(0) is { } a) running.Enqueue(a);
        fleet.Succeeded(running.Dequeue(), 1, delivered: true, new SourceReport(Requests: 10, Slowdowns: 4, Retries: 4));
        Assert.Equal(1, fleet.Source.Cuts);
        Assert.InRange(fleet.Ceiling(1), 80, 86);           // 15% fewer in flight
        Assert.True(fleet.Source.PacingHintMs >= 50);        // and new workers start their requests spaced
        Assert.True(fleet.Source.StartInterval > 0);
        var next = fleet.TryStart(1);
        Assert.Null(next);                                   // 99 in flight, over the new cap
        fleet.Succeeded(running.Dequeue(), 1.5, delivered: true, new SourceReport(10, 3, 3));
        Assert.Equal(1, fleet.Source.Cuts);                  // the same storm, reported by another worker: no second cut
        double hint = fleet.Source.PacingHintMs;
        for (int i = 0; i < 20; i++) fleet.Succeeded(running.Dequeue(), 10 + i, delivered: true, new SourceReport(10, 0, 0));
        Assert.True(fleet.Source.PacingHintMs < hint);       // clean reports ease it off
    }
}
