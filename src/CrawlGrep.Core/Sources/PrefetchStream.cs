using System.Buffers;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// Reads the inner stream ahead on a thread of its own into a few pooled blocks, so that fetching the next compressed
/// bytes (a disk read, a network body) overlaps with inflating the current ones. At most <c>depth</c> blocks of
/// <c>blockSize</c> bytes are held. A read error of the inner stream is rethrown by <see cref="Read"/> after the
/// bytes read before it. (Its own thread, not the thread pool: reads block, and a pool starved by them would hold
/// back the scan tasks themselves.) With an <c>aheadLimit</c>, it reads ahead only that far; past it, reads go
/// straight to the inner stream, so bytes the reader turns out not to want are not fetched for it.
/// </summary>
/// <remarks>
/// The two threads meet on a monitor over two fixed queues, which allocates nothing when one waits for the other
/// (a BlockingCollection allocated a token source for every wait: per block, when the reader is the faster one).
/// </remarks>
public sealed class PrefetchStream : ForwardReadStream
{
    private readonly Stream _inner;
    private readonly object _gate = new();
    private readonly Queue<(byte[] Block, int Length)> _filled;
    private readonly Queue<byte[]> _free;
    private readonly Thread _reader;
    private readonly long _aheadLimit;
    private bool _stopping, _done; // under _gate: Dispose has begun; the read-ahead thread has ended
    private Exception? _error;
    private byte[]? _current;
    private int _pos, _len;
    private bool _ended;
    private volatile bool _handedOver;

    /// <summary>Ranges this long gain from reading ahead; a short read is over before a read-ahead would help.</summary>
    public const long MinimumLength = 4 << 20;

    public static bool Worthwhile(long start, long expectedEnd) => expectedEnd - start > MinimumLength;

    public PrefetchStream(Stream inner, int blockSize = 1 << 20, int depth = 3, long aheadLimit = long.MaxValue)
    {
        _inner = inner;
        _aheadLimit = aheadLimit;
        _filled = new Queue<(byte[], int)>(depth + 1);
        _free = new Queue<byte[]>(depth + 1);
        for (int i = 0; i < depth + 1; i++) _free.Enqueue(ArrayPool<byte>.Shared.Rent(blockSize));
        _reader = new Thread(ReadAhead) { IsBackground = true, Name = "crawlgrep read-ahead" };
        _reader.Start();
    }

    private void ReadAhead()
    {
        long total = 0;
        try
        {
            while (true)
            {
                if (total >= _aheadLimit) { _handedOver = true; return; } // the reader reads on by itself
                byte[] block;
                lock (_gate)
                {
                    while (_free.Count == 0 && !_stopping) Monitor.Wait(_gate);
                    if (_stopping) return;
                    block = _free.Dequeue();
                }
                int n = 0, size = (int)Math.Min(block.Length, _aheadLimit - total);
                try
                {
                    while (n < size)
                    {
                        int r = _inner.Read(block, n, size - n);
                        if (r == 0) break;
                        n += r;
                    }
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        if (_stopping) return; // the stream was closed under a read, on purpose
                        if (n > 0) _filled.Enqueue((block, n)); // what came before the error
                        else _free.Enqueue(block);
                        _error = e;
                    }
                    return;
                }
                lock (_gate)
                {
                    if (n > 0) _filled.Enqueue((block, n));
                    else _free.Enqueue(block);
                    Monitor.PulseAll(_gate);
                }
                total += n;
                if (n < size) return;
            }
        }
        finally
        {
            lock (_gate)
            {
                _done = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (_pos == _len)
        {
            if (_ended) return 0;
            lock (_gate)
            {
                if (_current is not null)
                {
                    _free.Enqueue(_current);
                    _current = null;
                    Monitor.PulseAll(_gate);
                }
                while (_filled.Count == 0 && !_done) Monitor.Wait(_gate);
                if (_filled.Count > 0)
                {
                    (_current, _len) = _filled.Dequeue();
                    _pos = 0;
                    continue;
                }
            }
            // The read-ahead has ended and everything it read has been given out.
            if (_error is { } e) { _ended = true; throw e as IOException ?? new IOException(e.Message, e); }
            if (_handedOver) return _inner.Read(buffer); // no other reader of the inner stream is left
            _ended = true;
            return 0;
        }
        int n = Math.Min(buffer.Length, _len - _pos);
        _current.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
            _inner.Dispose(); // unblocks a read in progress (a network body)
            _reader.Join();
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            _current = null;
            while (_filled.TryDequeue(out var f)) ArrayPool<byte>.Shared.Return(f.Block);
            while (_free.TryDequeue(out var b)) ArrayPool<byte>.Shared.Return(b);
        }
        base.Dispose(disposing);
    }
}
