using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Lambda's internal queue of asynchronous invocations. An accepted event waits here until the function's
/// concurrency has room (throttling only delays it), runs on a worker like any invocation, and on a function error
/// (an /error, a crash, a timeout) is tried again after each of <see cref="EmulatorOptions.EventRetryDelays"/>; when
/// its last attempt fails too, its invocation record goes to the on-failure destination.
/// </summary>
internal sealed class EventQueue : IDisposable
{
    private readonly LambdaEmulator _emulator;
    private readonly object _gate = new();
    private readonly Queue<QueuedEvent> _ready = new();
    private readonly List<JsonElement> _failureDestination = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _accepted;
    private int _attempts;
    private int _succeeded;
    private int _running;
    private int _waitingToRetry;
    private bool _disposed;

    public EventQueue(LambdaEmulator emulator)
    {
        _emulator = emulator;
        _drained.SetResult();
    }

    public int Accepted { get { lock (_gate) return _accepted; } }

    /// <summary>Events waiting for a turn: for room in the concurrency, or for the delay before a retry.</summary>
    public int Queued { get { lock (_gate) return _ready.Count + _waitingToRetry; } }

    public int Attempts { get { lock (_gate) return _attempts; } }

    public int Succeeded { get { lock (_gate) return _succeeded; } }

    public IReadOnlyList<JsonElement> FailureDestination { get { lock (_gate) return _failureDestination.ToArray(); } }

    /// <summary>Queues an event and starts it if there is room; its request id is the one the 202 carries.</summary>
    public string Accept(byte[] payload, string invokedArn)
    {
        var queued = new QueuedEvent(payload, invokedArn);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Outstanding == 0) _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _accepted++;
            _ready.Enqueue(queued);
        }
        Pump();
        return queued.RequestId;
    }

    /// <summary>Starts queued events, oldest first, while the function's concurrency has room.</summary>
    public void Pump()
    {
        var started = new List<(QueuedEvent, Invocation)>();
        lock (_gate)
        {
            while (!_disposed && _ready.TryPeek(out var next))
            {
                Invocation? invocation;
                try { invocation = _emulator.TryAdmit(next.Payload, next.InvokedArn, (next.Attempts + 1, next.RequestId)); }
                catch (ObjectDisposedException) { break; }
                if (invocation is null) break;
                _ready.Dequeue();
                next.Attempts++;
                _attempts++;
                _running++;
                started.Add((next, invocation));
            }
        }
        foreach (var (queued, invocation) in started) _ = RunAsync(queued, invocation);
    }

    /// <summary>Completes when no event is queued, waiting to retry, or running; throws TimeoutException saying what is left.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task drained;
        lock (_gate) drained = _drained.Task;
        try
        {
            await drained.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
                throw new TimeoutException($"events not drained after {timeout}: {_ready.Count} queued, {_waitingToRetry} waiting to retry, {_running} running");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _ready.Clear();
        }
        _stopping.Cancel();
    }

    private int Outstanding => _ready.Count + _waitingToRetry + _running;

    private async Task RunAsync(QueuedEvent queued, Invocation invocation)
    {
        InvocationOutcome? outcome = null;
        try { outcome = (await _emulator.RunAdmittedAsync(invocation)).Outcome; }
        catch (ObjectDisposedException) { } // the emulator went away with the event

        var delays = _emulator.Options.EventRetryDelays;
        TimeSpan? retryAfter = null;
        lock (_gate)
        {
            _running--;
            if (outcome is null || _disposed) { }
            else if (!outcome.Failed) _succeeded++;
            else if (queued.Attempts <= delays.Count)
            {
                retryAfter = delays[queued.Attempts - 1];
                _waitingToRetry++;
            }
            else
            {
                _failureDestination.Add(DestinationRecord.RetriesExhausted(queued, outcome, _emulator.FunctionArn + ":$LATEST", DateTimeOffset.UtcNow));
            }
            if (Outstanding == 0) _drained.TrySetResult();
        }
        if (retryAfter is not { } delay) return;

        try { await Task.Delay(delay, _stopping.Token); }
        catch (OperationCanceledException) { return; }
        lock (_gate)
        {
            _waitingToRetry--;
            if (_disposed) return;
            _ready.Enqueue(queued);
        }
        Pump();
    }
}
