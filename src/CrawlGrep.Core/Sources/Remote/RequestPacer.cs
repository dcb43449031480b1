namespace CrawlGrep.Core.Sources.Remote;

/// <summary>
/// The request rate of a whole scan, shared by all its workers: requests start at least <see cref="Spacing"/> apart.
/// It starts unlimited; when the server pushes back (503 SlowDown, 429) the spacing doubles (at most once per
/// spacing, however many workers saw it at once), and every success shrinks it by a tenth, so the scan slows
/// down at once and speeds up gently. It is also where a scan that is stopped (Ctrl-C) stops its requests: waits
/// for a turn, for a retry or for a body end at once.
/// </summary>
public sealed class RequestPacer
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the scan stops: every remote read and wait of the scan ends.</summary>
    public CancellationToken Stopping => _stop.Token;

    public void Stop() => _stop.Cancel();

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(50), MaxSpacing = TimeSpan.FromSeconds(10);
    /// <summary>A longer Retry-After is taken as this: a scan waits, it does not sleep for hours.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);
    private readonly object _gate = new();
    private TimeSpan _spacing = TimeSpan.Zero;
    private DateTime _next = DateTime.MinValue, _lastSlowdown = DateTime.MinValue;

    public TimeSpan Spacing { get { lock (_gate) return _spacing; } }

    /// <summary>Times the scan slowed down.</summary>
    public int Slowdowns { get; private set; }

    private long _pushBacks;

    /// <summary>Push-backs the server answered (each 503 SlowDown or 429, also those one slowdown covered).</summary>
    public long PushBacks => Interlocked.Read(ref _pushBacks);

    /// <summary>
    /// Starts the spacing at <paramref name="spacing"/> at least: the pace a fleet's coordinator asks a new task to
    /// keep when the source has pushed back on other workers.
    /// </summary>
    public void AtLeast(TimeSpan spacing)
    {
        lock (_gate)
        {
            if (spacing > MaxSpacing) spacing = MaxSpacing;
            if (spacing > _spacing) _spacing = spacing;
        }
    }

    /// <summary>Waits for this request's turn.</summary>
    public void WaitTurn(CancellationToken ct)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            var start = _next > now ? _next : now;
            _next = start + _spacing;
            wait = start - now;
        }
        if (wait > TimeSpan.Zero) ct.WaitHandle.WaitOne(wait);
        ct.ThrowIfCancellationRequested();
    }

    /// <param name="retryAfter">The wait the server asked for (Retry-After), if it said: no request of the scan starts before it is over.</param>
    public void OnThrottled(TimeSpan? retryAfter = null)
    {
        Interlocked.Increment(ref _pushBacks);
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            if (retryAfter is { } wait && wait > TimeSpan.Zero)
            {
                var until = now + (wait < MaxRetryAfter ? wait : MaxRetryAfter);
                if (until > _next) _next = until;
            }
            if (now - _lastSlowdown < _spacing) return; // the same push-back, seen by another worker
            _lastSlowdown = now;
            _spacing = _spacing < MinBackoff ? MinBackoff : TimeSpan.FromTicks(Math.Min(_spacing.Ticks * 2, MaxSpacing.Ticks));
            Slowdowns++;
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            if (_spacing == TimeSpan.Zero) return;
            _spacing = TimeSpan.FromTicks(_spacing.Ticks * 9 / 10);
            if (_spacing < TimeSpan.FromMilliseconds(1)) _spacing = TimeSpan.Zero;
        }
    }
}
