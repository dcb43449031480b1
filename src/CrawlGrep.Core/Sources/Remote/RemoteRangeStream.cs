using System.Buffers;

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
/// <remarks>
/// Bodies are read with a cancellation token (the read timeout, and disposal): a cancelled read makes the HTTP
/// stack drop the connection. Disposing a body while another thread reads it instead (a read-ahead being shut
/// down) would hand a half-read connection back to the pool, and the next request on it would read garbage.
/// </remarks>
public sealed class RemoteRangeStream : ForwardReadStream
{
    /// <summary>At most this much per body read: reads go through a buffer of this size (a span cannot be awaited).</summary>
    private const int ChunkSize = 256 << 10;

    private readonly IObjectClient _client;
    private readonly long _end;
    private readonly RetryPolicy _retry;
    private readonly RequestPacer _pacer;
    private readonly TransferCounters _counters;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationTokenSource _disposed; // disposal, or the scan stopping
    private readonly object _readLock = new(); // a body is read, and dropped, by one thread at a time
    private byte[]? _chunk;
    private string? _etag;
    private long _pos, _segmentEnd, _nextSegment;
    private Stream? _body;

    public RemoteRangeStream(IObjectClient client, long start, long end, long expectedEnd, string? etag,
        RemoteOptions options, RequestPacer pacer, TransferCounters counters)
    {
        _client = client;
        _pos = start;
        _end = end;
        _etag = etag;
        _retry = new RetryPolicy(options);
        _pacer = pacer;
        _disposed = CancellationTokenSource.CreateLinkedTokenSource(pacer.Stopping);
        _counters = counters;
        _readTimeout = options.ReadTimeout;
        _segmentEnd = Math.Min(end, Math.Max(expectedEnd, start) + options.RangeSlack);
        _nextSegment = 1 << 20;
    }

    public override int Read(Span<byte> buffer)
    {
        lock (_readLock)
        {
            if (buffer.IsEmpty || _pos >= _end) return 0;
            int failures = 0;
            while (true)
            {
                if (_disposed.IsCancellationRequested) throw Stopped();
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
                        _segmentEnd = Math.Min(_end, _pos + _nextSegment);
                        _nextSegment = Math.Min(_nextSegment * 2, 256L << 20);
                        continue;
                    }
                    throw new RemoteException($"the body ended {_segmentEnd - _pos} bytes early", null, transient: true);
                }
                catch (Exception e) when (!_disposed.IsCancellationRequested && RetryPolicy.IsTransient(e))
                {
                    bool hadBody = _body is not null;
                    DropBody();
                    if (RetryPolicy.IsThrottle(e)) _pacer.OnThrottled((e as RemoteException)?.RetryAfter);
                    if (++failures >= _retry.MaxAttempts)
                        throw new IOException($"{RetryPolicy.Describe(e)}, {failures} tries in a row", e);
                    if (hadBody) _counters.Resume(); else _counters.Retry();
                    _disposed.Token.WaitHandle.WaitOne(_retry.Delay(failures - 1));
                }
                catch (RemoteException e) when (!e.Transient)
                {
                    DropBody();
                    throw new IOException(RetryPolicy.Describe(e), e);
                }
                catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
                {
                    throw Stopped();
                }
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

    /// <summary>A read of the body that gives up after the read timeout: the connection is dropped, and the body asked for again from here.</summary>
    private int ReadBody(Span<byte> buffer)
    {
        int want = (int)Math.Min(Math.Min(buffer.Length, ChunkSize), _segmentEnd - _pos);
        if (want <= 0) return 0;
        _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(_readTimeout);
        int n;
        try { n = _body!.ReadAsync(_chunk.AsMemory(0, want), timeout.Token).AsTask().GetAwaiter().GetResult(); }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested)
        {
            throw new RemoteException($"no data for {_readTimeout.TotalSeconds:0.#} s", null, transient: true);
        }
        _chunk.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    private void DropBody()
    {
        try { _body?.Dispose(); } catch (Exception) { /* a broken connection may fail to close; it is gone either way */ }
        _body = null;
    }

    /// <summary>What a read of a stopped scan or a closed stream fails with: an I/O error, as the scanner expects.</summary>
    private static IOException Stopped() => new("the scan was stopped");


    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            _disposed.Cancel(); // a read in progress on another thread ends now, dropping its connection
            lock (_readLock)
            {
                DropBody();
                if (_chunk is not null) ArrayPool<byte>.Shared.Return(_chunk);
                _chunk = null;
            }
        }
        base.Dispose(disposing);
    }
}
