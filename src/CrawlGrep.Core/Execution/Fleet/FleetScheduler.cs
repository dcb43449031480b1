using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>
/// Decides what a fleet of remote workers runs and when, on a clock it is given (seconds since the scan started):
/// the Lambda executor drives it on the wall clock, the crawl simulation on a virtual one, so both run the same
/// decisions. It starts tasks in plan order up to the concurrency the service, the ramp and the source allow,
/// retries what failed or was pushed back (after a jittered backoff, or the Retry-After the service asked for),
/// starts speculative copies of stragglers once the queue is empty, and keeps the bill under a cap. Not thread-safe:
/// the caller serializes calls.
/// </summary>
public sealed class FleetScheduler
{
    private enum State : byte { Waiting, Running, Done }

    private sealed class TaskState
    {
        public State State;
        public int WorkerFailures, ServiceFailures, Invocations;
        public double NotBefore;
        public bool Copied;
        public long BilledMs;
        public double GbSeconds;
        public readonly List<FleetAttempt> Running = new(1);
    }

    private readonly long[] _bytes;
    private readonly TaskState[] _tasks;
    private readonly FleetOptions _options;
    private readonly Random _random;
    private readonly PriorityQueue<int, (double NotBefore, int Task)> _retries = new();
    private readonly Dictionary<int, FleetAttempt> _running = new();
    private int _nextNew, _nextAttemptId, _done;
    private long _inFlightBytes;
    private double _lastStart = double.NegativeInfinity;
    private bool _stopped;

    public FleetScheduler(IReadOnlyList<long> taskBytes, FleetOptions options)
    {
        _options = options;
        _bytes = taskBytes.ToArray();
        _tasks = new TaskState[_bytes.Length];
        for (int i = 0; i < _tasks.Length; i++) _tasks[i] = new TaskState();
        _random = new Random(options.Seed);
        Concurrency = new ConcurrencyControl(options.MaxConcurrency, options.RampStep, options.RampStepSeconds);
        Stragglers = new StragglerWatch(options.Speculation, _bytes.Length, options.Seed);
        Cost = new CostMeter(options.Rate, options.MemoryMb, options.MaxCostDollars, options.PriorSecondsPerByte);
    }

    public ConcurrencyControl Concurrency { get; }
    public SourceBackoff Source { get; } = new();
    public StragglerWatch Stragglers { get; }
    public CostMeter Cost { get; }
    public FleetTimeline Timeline { get; } = new();

    public int TaskCount => _bytes.Length;
    public int InFlight => _running.Count;

    /// <summary>Tasks settled: delivered, recorded failed, or skipped.</summary>
    public int Done => _done;

    /// <summary>Invocations answered 429 (each waited out and tried again).</summary>
    public long Throttles { get; private set; }

    /// <summary>Retries started after a failure or a push-back.</summary>
    public long Retries { get; private set; }

    /// <summary>Tasks waiting to start (new or to retry).</summary>
    public int Waiting => _bytes.Length - _nextNew + _retries.Count;

    /// <summary>Nothing runs and nothing more will start: every task is settled, or the scan stopped or hit its cost cap.</summary>
    public bool Finished => _running.Count == 0 && (_done == _bytes.Length || _stopped || Cost.CapReached);

    /// <summary>Why no more tasks start although some are left, if that is so.</summary>
    public string? Halted => _stopped ? "stopped" : Cost.CapReached ? "cost cap" : null;

    /// <summary>The current ceiling on tasks in flight.</summary>
    public int Ceiling(double now) => Math.Min(Concurrency.Ceiling(now), Source.Cap);

    /// <summary>Stops starting tasks (Ctrl-C, a fatal error); those running end as their callers decide.</summary>
    public void Stop() => _stopped = true;

    /// <summary>Whether a task has been settled.</summary>
    public bool IsSettled(int task) => _tasks[task].State == State.Done;

    /// <summary>The next invocation to start at <paramref name="now"/>, or null when none may start yet.</summary>
    public FleetAttempt? TryStart(double now)
    {
        if (_stopped || Cost.CapReached) return null;
        if (_running.Count >= Ceiling(now)) return null;
        if (Source.StartInterval > 0 && now < _lastStart + Source.StartInterval) return null;

        int task = -1;
        var kind = AttemptKind.First;
        while (_retries.TryPeek(out int r, out var key))
        {
            if (_tasks[r].State == State.Done || _tasks[r].State == State.Running) { _retries.Dequeue(); continue; }
            if (key.NotBefore <= now) { task = r; kind = AttemptKind.Retry; }
            break;
        }
        if (task < 0 && _nextNew < _bytes.Length) task = _nextNew;
        if (task < 0 && SpeculationTarget(now) is int straggler) { task = straggler; kind = AttemptKind.Speculative; }
        if (task < 0) return null;

        long bytes = _bytes[task];
        if (!Cost.Allows(bytes, _inFlightBytes)) return null;

        if (kind == AttemptKind.Retry) { _retries.Dequeue(); Retries++; }
        else if (kind == AttemptKind.First) _nextNew++;
        else { _tasks[task].Copied = true; Stragglers.OnCopy(); }

        var attempt = new FleetAttempt(++_nextAttemptId, task, kind, now, Concurrency.Epoch, Source.PacingHintMs);
        var state = _tasks[task];
        state.State = State.Running;
        state.Running.Add(attempt);
        state.Invocations++;
        _running.Add(attempt.Id, attempt);
        _inFlightBytes += bytes;
        _lastStart = now;
        Concurrency.OnStart(now);
        Source.OnStart(now);
        Cost.OnInvocation();
        Timeline.Record(now, _running.Count, Ceiling(now));
        return attempt;
    }

    /// <summary>
    /// When <see cref="TryStart"/> may next give an attempt without anything else happening first (a hold ending,
    /// a retry coming due, the ramp allowing more, a straggler passing its threshold); +∞ when only an attempt's end can.
    /// </summary>
    public double NextCheck(double now)
    {
        if (_stopped || Cost.CapReached) return double.PositiveInfinity;
        if (_nextNew >= _bytes.Length && _retries.Count == 0 && !Stragglers.HasBudget) return double.PositiveInfinity;
        if (_running.Count >= Ceiling(now))
        {
            // Full: only the ramp can make room without an attempt ending.
            bool rampBinds = Concurrency.Ramp(now) < Concurrency.Target && _running.Count < Source.Cap;
            return rampBinds ? Concurrency.RampAllowsMoreAt(_running.Count, now) : double.PositiveInfinity;
        }
        if (Source.StartInterval > 0 && now < _lastStart + Source.StartInterval) return _lastStart + Source.StartInterval;
        if (_nextNew < _bytes.Length) return double.PositiveInfinity; // TryStart would have started one: nothing to wait for
        double next = double.PositiveInfinity;
        while (_retries.TryPeek(out int r, out var key))
        {
            if (_tasks[r].State != State.Waiting) { _retries.Dequeue(); continue; }
            next = Math.Max(now, key.NotBefore);
            break;
        }
        return _retries.Count > 0 ? next : NextStragglerAt(now);
    }

    /// <summary>
    /// Lambda answered 429: the target halves (once per push-back) and the task goes back first in line, to start no
    /// sooner than Retry-After. Other tasks start as the lower target allows: the limit is on concurrency, not on time.
    /// </summary>
    public void Throttled(FleetAttempt attempt, double now, double? retryAfterSeconds)
    {
        Throttles++;
        Concurrency.OnThrottled(attempt.Epoch, _running.Count, now);
        double wait = Math.Min(retryAfterSeconds ?? Backoff(1), _options.MaxRetryAfterSeconds);
        // A throttled invocation never ran: neither the request nor the task's tries count.
        Cost.OnInvocationRefused();
        _tasks[attempt.Task].Invocations--;
        End(attempt, now);
        Requeue(attempt, now + wait);
    }

    /// <summary>The service failed the call (5xx, no answer): true when the task is tried again, false when it is to be recorded failed.</summary>
    public bool ServiceFailed(FleetAttempt attempt, double now, double? retryAfterSeconds)
    {
        var state = _tasks[attempt.Task];
        End(attempt, now);
        if (state.State == State.Done || state.Running.Count > 0) return true; // another copy carries on
        if (++state.ServiceFailures >= _options.MaxServiceAttempts) return Settle(attempt.Task, false);
        Requeue(attempt, now + Math.Min(retryAfterSeconds ?? Backoff(state.ServiceFailures), _options.MaxRetryAfterSeconds));
        return true;
    }

    /// <summary>An answered invocation's REPORT: added to its task's bill and the scan's.</summary>
    public void Billed(FleetAttempt attempt, AttemptBill bill)
    {
        if (bill.BilledMs <= 0 && bill.MemoryMb is null) return;
        var state = _tasks[attempt.Task];
        state.BilledMs += bill.BilledMs;
        state.GbSeconds += Cost.OnBilled(bill.BilledMs, bill.MemoryMb);
    }

    /// <summary>
    /// The worker failed the task (crashed, timed out, threw, answered nothing readable; <paramref name="source"/>:
    /// what its source did, when that is why): true when it is tried again, false when it is to be recorded failed
    /// (<paramref name="permanent"/>: the task fails the same way every time).
    /// </summary>
    public bool WorkerFailed(FleetAttempt attempt, double now, bool permanent = false, SourceReport source = default)
    {
        var state = _tasks[attempt.Task];
        End(attempt, now);
        Concurrency.OnSuccess(now); // the service took the call
        if (source != default) Source.OnReport(now, _running.Count, source.Requests, source.Slowdowns, source.Retries);
        if (state.State == State.Done || state.Running.Count > 0) return true;
        if (permanent || ++state.WorkerFailures >= _options.MaxTaskAttempts) return Settle(attempt.Task, false);
        Requeue(attempt, now + Backoff(state.WorkerFailures));
        return true;
    }

    /// <summary>
    /// A worker answered with the task's result, and it was <paramref name="delivered"/> (false: a copy's result was
    /// taken first). Returns the task's other attempts still running, which the caller cancels where it can.
    /// </summary>
    public IReadOnlyList<FleetAttempt> Succeeded(FleetAttempt attempt, double now, bool delivered, SourceReport source)
    {
        var state = _tasks[attempt.Task];
        End(attempt, now);
        Concurrency.OnSuccess(now);
        Source.OnReport(now, _running.Count, source.Requests, source.Slowdowns, source.Retries);
        if (!delivered || state.State == State.Done) return [];
        if (attempt.Kind == AttemptKind.First) Stragglers.OnFinished(_bytes[attempt.Task], now - attempt.StartedAt);
        if (attempt.Kind == AttemptKind.Speculative) Stragglers.OnCopyWon();
        Cost.OnTaskBilled(_bytes[attempt.Task], state.GbSeconds);
        Settle(attempt.Task, true);
        return state.Running.ToArray();
    }

    /// <summary>An attempt that ended without an answer the scheduler needs: cancelled (a copy lost, the scan stopped).</summary>
    public void Abandoned(FleetAttempt attempt, double now)
    {
        End(attempt, now);
        Requeue(attempt, now); // unless a copy settled it or still runs; a stopped scan starts nothing anyway
    }

    /// <summary>A task settled without running (its input already gave its -m lines).</summary>
    public void Skipped(FleetAttempt attempt, double now)
    {
        End(attempt, now);
        Settle(attempt.Task, true);
    }

    /// <summary>The bill of a task so far: every invocation of it, with the REPORT of the one that counted.</summary>
    public TaskBilling BillOf(int task, AttemptBill kept = default)
    {
        var s = _tasks[task];
        return new TaskBilling(s.Invocations, s.BilledMs, s.GbSeconds, Cost.Rate.Dollars(s.GbSeconds, s.Invocations),
            kept.MemoryMb, kept.MaxMemoryUsedMb, kept.InitDurationMs);
    }

    /// <summary>The scan's bill: every invocation Lambda ran (tries, copies, those given up), and the GB-seconds of their REPORTs.</summary>
    public ScanBilling Bill => new(Cost.Invocations, Cost.BilledMs, Cost.GbSeconds, Cost.Dollars);

    private void End(FleetAttempt attempt, double now)
    {
        if (!_running.Remove(attempt.Id)) return;
        _tasks[attempt.Task].Running.Remove(attempt);
        _inFlightBytes -= _bytes[attempt.Task];
        if (_tasks[attempt.Task].State == State.Running && _tasks[attempt.Task].Running.Count == 0) _tasks[attempt.Task].State = State.Waiting;
        Timeline.Record(now, _running.Count, Ceiling(now));
    }

    private bool Settle(int task, bool ok)
    {
        if (_tasks[task].State != State.Done)
        {
            _tasks[task].State = State.Done;
            _done++;
        }
        return ok;
    }

    private void Requeue(FleetAttempt attempt, double notBefore)
    {
        var state = _tasks[attempt.Task];
        if (state.State == State.Done || state.Running.Count > 0) return;
        state.NotBefore = notBefore;
        _retries.Enqueue(attempt.Task, (notBefore, attempt.Task));
    }

    /// <summary>The running task furthest past its straggler threshold, if copies may start now.</summary>
    private int? SpeculationTarget(double now)
    {
        if (!Stragglers.Active(_done, _bytes.Length, Waiting)) return null;
        int? best = null;
        double worst = 0;
        foreach (var a in _running.Values)
        {
            var state = _tasks[a.Task];
            if (state.Copied || state.Running.Count != 1 || a.Kind == AttemptKind.Speculative) continue;
            double over = (now - a.StartedAt) / Stragglers.Threshold(_bytes[a.Task]);
            if (over >= 1 && over > worst) { worst = over; best = a.Task; }
        }
        return best;
    }

    private double NextStragglerAt(double now)
    {
        if (!Stragglers.Active(_done, _bytes.Length, Waiting)) return double.PositiveInfinity;
        double next = double.PositiveInfinity;
        foreach (var a in _running.Values)
        {
            var state = _tasks[a.Task];
            if (state.Copied || state.Running.Count != 1) continue;
            next = Math.Min(next, a.StartedAt + Stragglers.Threshold(_bytes[a.Task]));
        }
        return Math.Max(now, next);
    }

    private double Backoff(int failures)
    {
        double seconds = Math.Min(_options.RetryMaxSeconds, _options.RetryBaseSeconds * Math.Pow(2, failures - 1));
        return seconds * (0.5 + _random.NextDouble() / 2); // jittered: a fleet's retries spread out
    }
}
