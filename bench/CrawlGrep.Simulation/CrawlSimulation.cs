using System.Diagnostics;
using CrawlGrep.Core.Execution.Fleet;

namespace CrawlGrep.Simulation;

/// <summary>
/// A discrete-event simulation of a crawl scanned on Lambda: the real <see cref="FleetScheduler"/> decides what starts
/// when, on a virtual clock, against a <see cref="SimulatedLambda"/> and a <see cref="SimulatedBucket"/>. The loop
/// mirrors the Lambda executor's: start what the scheduler gives until it gives nothing, then wait for the next of an
/// answer or the scheduler's next check.
/// <para>
/// A copy that loses is treated as the executor treats it: the scheduler is told it was abandoned at once, but in
/// Lambda a cancelled synchronous call runs on, so here it keeps its environment, makes its GETs and is billed to
/// its end (the scheduler never sees that bill: nobody reads its REPORT).
/// </para>
/// </summary>
public sealed class CrawlSimulation
{
    private enum EventKind : byte { ThrottleAnswer, Get, Finish, Answer }

    private readonly record struct Event(EventKind Kind, FleetAttempt Attempt, SimulatedInvocation? Invocation);

    private readonly SimulationOptions _options;
    private readonly FleetScheduler _fleet;
    private readonly SimulatedLambda _lambda;
    private readonly SimulatedBucket _bucket;
    private readonly Random _workRandom, _workerRandom;
    private readonly PriorityQueue<Event, (double Time, long Seq)> _events = new();
    private readonly Dictionary<int, SimulatedInvocation> _running = new();
    private readonly HashSet<int> _abandoned = new();
    private readonly double _speed;
    /// <summary>How far the clock moves when the scheduler's NextCheck and TryStart disagree.</summary>
    public const double StallNudgeSeconds = 1e-6;

    private long _seq, _handled, _runs, _stalls;
    private double _gbSeconds, _unseenGbSeconds, _lastFirstStart;

    public CrawlSimulation(SimulationOptions options)
    {
        _options = options;
        _fleet = new FleetScheduler(options.TaskBytes, options.Fleet with { Seed = options.Seed });
        _lambda = new SimulatedLambda(options.EffectiveAccountLimit, options.NewEnvironmentsPerWindow, options.ScalingWindowSeconds,
            options.ColdStartMinSeconds, options.ColdStartMaxSeconds, new Random(options.Seed * 7919 + 1));
        _bucket = new SimulatedBucket(options.BucketRequestsPerSecond);
        _workRandom = new Random(options.Seed * 7919 + 2);
        _workerRandom = new Random(options.Seed * 7919 + 3);
        _speed = options.WorkerBytesPerSecond;
    }

    /// <summary>The scheduler the run drove: its timeline, source backoff, stragglers and bill.</summary>
    public FleetScheduler Fleet => _fleet;

    public SimulatedLambda Lambda => _lambda;
    public SimulatedBucket Bucket => _bucket;

    public static SimulationResult Run(SimulationOptions options) => new CrawlSimulation(options).Run();

    public SimulationResult Run()
    {
        var clock = Stopwatch.StartNew();
        double now = 0;
        int stalls = 0;
        while (true)
        {
            while (_fleet.TryStart(now) is { } attempt)
            {
                Start(attempt, now);
                stalls = 0;
            }
            if (_fleet.Finished) break;
            double check = _fleet.NextCheck(now);
            if (_events.TryPeek(out var next, out var key) && key.Time <= check)
            {
                _events.Dequeue();
                now = Math.Max(now, key.Time);
                Handle(next, now);
                stalls = 0;
            }
            else if (!double.IsPositiveInfinity(check))
            {
                if (check <= now)
                {
                    // NextCheck said a start was possible by now, and TryStart gave none. The wall clock moves on by
                    // itself; here the clock is nudged, and the nudges counted, so the mismatch shows.
                    _stalls++;
                    if (++stalls > 1000)
                        throw new InvalidOperationException($"the scheduler stalls at {now:0.###} s: NextCheck {check:0.###}, {_fleet.Done} of {_fleet.TaskCount} done, {_fleet.InFlight} in flight, {_fleet.Waiting} waiting");
                    now += StallNudgeSeconds;
                }
                else now = check;
            }
            else throw new InvalidOperationException($"stuck at {now:0.###} s: {_fleet.Done} of {_fleet.TaskCount} done, {_fleet.InFlight} in flight, {_fleet.Waiting} waiting, no event due");
        }
        double wall = now;
        // Copies that lost run on in Lambda after the scan is over: their bill still comes.
        while (_events.TryDequeue(out var rest, out var at)) Handle(rest, Math.Max(now, at.Time));
        return Result(wall, clock.Elapsed.TotalSeconds);
    }

    private void Start(FleetAttempt attempt, double now)
    {
        if (attempt.Kind == AttemptKind.First) _lastFirstStart = now;
        var admission = _lambda.Invoke(now);
        if (admission.Throttled)
        {
            Schedule(now + _options.InvokeLatencySeconds, new Event(EventKind.ThrottleAnswer, attempt, null));
            return;
        }
        long bytes = _options.TaskBytes[attempt.Task];
        double work = bytes / _speed * _options.TaskTime.Multiplier(_workRandom);
        int gets = 1 + (int)((bytes + _options.BytesPerGet - 1) / _options.BytesPerGet);
        var invocation = new SimulatedInvocation(attempt, now, admission.InitSeconds, work, gets);
        _running[attempt.Id] = invocation;
        Schedule(now + admission.InitSeconds, new Event(EventKind.Get, attempt, invocation));
    }

    private void Handle(Event e, double now)
    {
        _handled++;
        switch (e.Kind)
        {
            case EventKind.ThrottleAnswer:
                if (!_abandoned.Remove(e.Attempt.Id)) _fleet.Throttled(e.Attempt, now, SimulatedLambda.RetryAfterSeconds);
                break;
            case EventKind.Get:
            {
                var invocation = e.Invocation!;
                double next = invocation.OnAnswer(now, _bucket.TryGet(now), _workerRandom);
                Schedule(next, invocation.Complete ? e with { Kind = EventKind.Finish } : e);
                break;
            }
            case EventKind.Finish:
            {
                var invocation = e.Invocation!;
                _lambda.Release();
                _runs++;
                long billedMs = (long)Math.Ceiling((now - invocation.StartedAt) * 1000 - 1e-9);
                double gbs = billedMs / 1000.0 * _options.Fleet.MemoryMb / 1024.0;
                _gbSeconds += gbs;
                if (invocation.Abandoned) { _unseenGbSeconds += gbs; _running.Remove(e.Attempt.Id); break; }
                Schedule(now + _options.InvokeLatencySeconds, e with { Kind = EventKind.Answer });
                invocation.BilledMs = billedMs;
                break;
            }
            case EventKind.Answer:
                Answer(e.Invocation!, now);
                break;
        }
    }

    private void Answer(SimulatedInvocation invocation, double now)
    {
        var attempt = invocation.Attempt;
        _running.Remove(attempt.Id);
        if (invocation.Abandoned)
        {
            // Its answer came after the call was cancelled: nobody reads it, or its REPORT.
            _unseenGbSeconds += invocation.BilledMs / 1000.0 * _options.Fleet.MemoryMb / 1024.0;
            return;
        }
        _fleet.Billed(attempt, new AttemptBill(invocation.BilledMs, _options.Fleet.MemoryMb, _options.MaxMemoryUsedMb,
            invocation.InitSeconds > 0 ? invocation.InitSeconds * 1000 : null));
        var report = _options.ReportSourcePushback ? invocation.Report : invocation.Report with { Slowdowns = 0, Retries = 0 };
        bool delivered = !_fleet.IsSettled(attempt.Task);
        foreach (var loser in _fleet.Succeeded(attempt, now, delivered, report))
        {
            // The executor cancels the call and tells the scheduler; Lambda runs it on.
            _fleet.Abandoned(loser, now);
            if (_running.TryGetValue(loser.Id, out var other)) other.Abandoned = true;
            else _abandoned.Add(loser.Id); // its 429 is still on the way
        }
    }

    private void Schedule(double time, Event e) => _events.Enqueue(e, (time, _seq++));

    private SimulationResult Result(double wall, double elapsed)
    {
        var rate = _options.Fleet.Rate;
        long totalBytes = 0;
        foreach (long b in _options.TaskBytes) totalBytes += b;
        return new SimulationResult
        {
            Name = _options.Name,
            Tasks = _fleet.TaskCount,
            Done = _fleet.Done,
            Concurrency = _options.Concurrency,
            AccountLimit = _options.EffectiveAccountLimit,
            TotalBytes = totalBytes,
            WallSeconds = wall,
            GbSeconds = _gbSeconds,
            Dollars = rate.Dollars(_gbSeconds, _runs),
            UnseenDollars = rate.Dollars(_unseenGbSeconds, 0),
            Invocations = _runs,
            Throttles = _fleet.Throttles,
            ThrottlesByScaling = _lambda.ThrottledByScaling,
            ColdStarts = _lambda.ColdStarts,
            SourceRequests = _bucket.Requests,
            SlowDowns = _bucket.SlowDowns,
            SourceCuts = _fleet.Source.Cuts,
            ConcurrencyCuts = _fleet.Concurrency.Cuts,
            Copies = _fleet.Stragglers.Copies,
            CopiesWon = _fleet.Stragglers.CopiesWon,
            CopyBudget = _fleet.Stragglers.Budget,
            PeakConcurrency = _fleet.Timeline.Peak,
            MeanConcurrency = _fleet.Timeline.Mean(wall),
            LastStartSeconds = _lastFirstStart,
            IdealSeconds = totalBytes / _speed / _options.Concurrency,
            SimulationSeconds = elapsed,
            Events = _handled,
            SchedulerStalls = _stalls,
        };
    }
}
