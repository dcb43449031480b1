namespace CrawlGrep.Core.Sources.Remote;

/// <summary>
/// Bytes [start, end) of a remote object as one forward stream that survives the network. Requests: one GET for
/// the range the reader is expected to need (to <c>expectedEnd</c> plus a slack), then, only if it reads on,
/// GETs of doubling size. A body that breaks off (reset, truncated, stalled past the read timeout) is asked for
/// again from the exact byte where it stopped, pinned to the object's ETag: nothing is fetched twice, and the
/// reader sees one unbroken byte sequence, so no record is lost or repeated. A request that fails before any
/// body byte is retried with backoff; <see cref="RetryPolicy.MaxAttempts"/> failures in a row without progress
/// end the read with an <see cref="IOException"/> naming the offset.
/// </summary>
public sealed class RemoteRangeStream : ForwardReadStream
{
    private readonly IObjectClient _client;
    private readonly string _name;
    private readonly long _end;
    private readonly RetryPolicy _retry;
    private readonly RequestPacer _pacer;
    private readonly TransferCounters _counters;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationTokenSource _disposed = new();
    private string? _etag;
    private long _pos, _segmentEnd, _nextSegment;
    private Stream? _body;
    private readonly Timer _watchdog;
    private volatile bool _stalled;

    public RemoteRangeStream(IObjectClient client, string name, long start, long end, long expectedEnd, string? etag,
        RemoteOptions options, RequestPacer pacer, TransferCounters counters)
    {
        _client = client;
        _name = name;
        _pos = start;
        _end = end;
        _etag = etag;
        _retry = new RetryPolicy(options);
        _pacer = pacer;
        _counters = counters;
        _readTimeout = options.ReadTimeout;
        _segmentEnd = Math.Min(end, Math.Max(expectedEnd, start) + options.RangeSlack);
        _nextSegment = 1 << 20;
        _watchdog = new Timer(_ => { _stalled = true; DropBody(); });
    }

    /// <summary>The offset of the next byte to read.</summary>
    public long Position64 => _pos;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _pos >= _end) return 0;
        int failures = 0;
        while (true)
        {
            _disposed.Token.ThrowIfCancellationRequested();
            try
            {
                _body ??= Open();
                int n = ReadBody(buffer);
                if (n > 0)
                {
                    _pos += n;
                    _counters.Fetched(n);
                    return n;
                }
                if (_pos >= _segmentEnd)
                {
                    // This request's range is read; the reader wants more (a record past the expected end).
                    DropBody();
                    GrowSegment();
                    continue;
                }
                throw new RemoteException($"the body ended {_segmentEnd - _pos} bytes early", null, transient: true);
            }
            catch (Exception e) when (!_disposed.IsCancellationRequested && (_stalled || RetryPolicy.IsTransient(e)))
            {
                bool hadBody = _body is not null || _stalled;
                if (_stalled) e = new RemoteException($"no data for {_readTimeout.TotalSeconds:0.#} s", null, transient: true);
                _stalled = false;
                DropBody();
                if (RetryPolicy.IsThrottle(e)) _pacer.OnThrottled();
                if (++failures >= _retry.MaxAttempts)
                    throw new IOException($"read failed at byte {_pos} after {failures} tries: {Describe(e)}", e);
                if (hadBody) _counters.Resume(); else _counters.Retry();
                _disposed.Token.WaitHandle.WaitOne(_retry.Delay(failures - 1));
            }
            catch (RemoteException e) when (!e.Transient)
            {
                DropBody();
                throw new IOException($"{Describe(e)} (at byte {_pos})", e);
            }
        }
    }

    private Stream Open()
    {
        _pacer.WaitTurn(_disposed.Token);
        _counters.Request();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(_readTimeout);
        var response = _client.Get(_pos, _segmentEnd, _etag, timeout.Token);
        _etag ??= response.ETag; // a resumed body must come from the same version of the object
        _pacer.OnSuccess();
        return response.Body;
    }

    /// <summary>
    /// A read of the body, watched: if it gives nothing for the read timeout, the watchdog closes the connection,
    /// the read fails, and the body is asked for again from here.
    /// </summary>
    private int ReadBody(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, _segmentEnd - _pos);
        if (want <= 0) return 0;
        var body = _body ?? throw new RemoteException("connection closed", null, transient: true);
        _watchdog.Change(_readTimeout, Timeout.InfiniteTimeSpan);
        try { return body.Read(buffer[..want]); }
        finally { _watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); }
    }

    private void GrowSegment()
    {
        _segmentEnd = Math.Min(_end, _pos + _nextSegment);
        _nextSegment = Math.Min(_nextSegment * 2, 256L << 20);
    }

    private void DropBody()
    {
        var body = Interlocked.Exchange(ref _body, null);
        try { body?.Dispose(); } catch (Exception) { /* a broken connection may fail to close; it is gone either way */ }
    }

    private static string Describe(Exception e) => e switch
    {
        RemoteException r => r.Message,
        OperationCanceledException => "timed out",
        _ => e.Message,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed.Cancel();
            _watchdog.Dispose();
            DropBody();
            _disposed.Dispose();
        }
        base.Dispose(disposing);
    }
}
