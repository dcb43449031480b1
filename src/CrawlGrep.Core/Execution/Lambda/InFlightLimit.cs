namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// How many invocations a scan keeps in flight: up to a maximum, halved when Lambda throttles (429: the function's
/// or the account's concurrency is used up) and grown back by one per success, so a fleet settles just under what
/// it may run instead of hammering the limit.
/// </summary>
public sealed class InFlightLimit(int maximum)
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private int _inFlight;

    public int Maximum { get; } = Math.Max(1, maximum);

    /// <summary>The current target: at most <see cref="Maximum"/>, at least one.</summary>
    public int Current { get; private set; } = Math.Max(1, maximum);

    /// <summary>The most that were in flight at once.</summary>
    public int Peak { get; private set; }

    /// <summary>Waits for a place in flight.</summary>
    public async Task EnterAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_inFlight < Current && _waiting.Count == 0)
            {
                Admit();
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }
        using (ct.Register(() => waiter.TrySetCanceled(ct)))
        {
            try { await waiter.Task; }
            catch (OperationCanceledException)
            {
                // Admitted at the moment it was cancelled: give the place back.
                lock (_gate) if (waiter.Task.IsCompletedSuccessfully) Leave();
                throw;
            }
        }
    }

    /// <summary>Gives a place back.</summary>
    public void Exit()
    {
        lock (_gate) Leave();
    }

    /// <summary>Lambda answered 429: halve the target (those already in flight finish; no new one starts until below it).</summary>
    public void OnThrottled()
    {
        lock (_gate) Current = Math.Max(1, Current / 2);
    }

    /// <summary>An invocation went through: grow the target by one, up to the maximum.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            if (Current < Maximum) Current++;
            Wake();
        }
    }

    private void Admit()
    {
        _inFlight++;
        if (_inFlight > Peak) Peak = _inFlight;
    }

    private void Leave()
    {
        _inFlight--;
        Wake();
    }

    private void Wake()
    {
        while (_inFlight < Current && _waiting.TryDequeue(out var next))
        {
            if (next.Task.IsCompleted) continue; // cancelled while it waited
            Admit();
            next.TrySetResult();
        }
    }
}
