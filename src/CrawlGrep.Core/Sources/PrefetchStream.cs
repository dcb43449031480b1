using System.Buffers;
using System.Collections.Concurrent;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// Reads the inner stream ahead on a thread of its own into a few pooled blocks, so that fetching the next compressed
/// bytes (a disk read, a network body) overlaps with inflating the current ones. At most <c>depth</c> blocks of
/// <c>blockSize</c> bytes are held. A read error of the inner stream is rethrown by <see cref="Read"/> after the
/// bytes read before it. (Its own thread, not the thread pool: reads block, and a pool starved by them would hold
/// back the scan tasks themselves.) With an <c>aheadLimit</c>, it reads ahead only that far; past it, reads go
/// straight to the inner stream, so bytes the reader turns out not to want are not fetched for it.
/// </summary>
public sealed class PrefetchStream : ForwardReadStream
{
    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Block, int Length)> _filled;
    private readonly BlockingCollection<byte[]> _free = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private Exception? _error;
    private byte[]? _current;
    private int _pos, _len;
    private bool _ended;
    private volatile bool _handedOver;
    private readonly long _aheadLimit;

    /// <summary>Ranges this long gain from reading ahead; a short read is over before a read-ahead would help.</summary>
    public const long MinimumLength = 4 << 20;

    public static bool Worthwhile(long start, long expectedEnd) => expectedEnd - start > MinimumLength;

    public PrefetchStream(Stream inner, int blockSize = 1 << 20, int depth = 3, long aheadLimit = long.MaxValue)
    {
        _inner = inner;
        _aheadLimit = aheadLimit;
        _filled = new BlockingCollection<(byte[], int)>(depth);
        for (int i = 0; i < depth + 1; i++) _free.Add(ArrayPool<byte>.Shared.Rent(blockSize));
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
                var block = _free.Take(_stop.Token);
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
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    if (n > 0) _filled.Add((block, n), _stop.Token); // what came before the error
                    _error = e;
                    return;
                }
                if (n > 0) _filled.Add((block, n), _stop.Token);
                else _free.Add(block);
                total += n;
                if (n < size) return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception) when (_stop.IsCancellationRequested) { } // the stream was closed under a read, on purpose
        finally { _filled.CompleteAdding(); }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (_pos == _len)
        {
            if (_ended) return 0;
            if (_current is not null) _free.Add(_current);
            _current = null;
            if (!_filled.TryTake(out var next, Timeout.Infinite))
            {
                if (_error is { } e) { _ended = true; throw e as IOException ?? new IOException(e.Message, e); }
                if (_handedOver) return _inner.Read(buffer); // the read-ahead thread has ended: no other reader
                _ended = true;
                return 0;
            }
            _current = next.Block;
            _pos = 0;
            _len = next.Length;
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
            _stop.Cancel();
            _inner.Dispose(); // unblocks a read in progress (a network body)
            _reader.Join();
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            while (_filled.TryTake(out var f)) ArrayPool<byte>.Shared.Return(f.Block);
            while (_free.TryTake(out var b)) ArrayPool<byte>.Shared.Return(b);
            _filled.Dispose();
            _free.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
