using System.Buffers;
using System.Threading.Channels;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// Reads the inner stream ahead on a background task into a few pooled blocks, so that fetching the next compressed
/// bytes (a disk read, a network body) overlaps with inflating the current ones. At most
/// <c>depth</c> blocks of <c>blockSize</c> bytes are held. A read error of the inner stream is rethrown by
/// <see cref="Read"/> after the bytes read before it.
/// </summary>
public sealed class PrefetchStream : ForwardReadStream
{
    private readonly Stream _inner;
    private readonly Channel<(byte[] Block, int Length)> _filled;
    private readonly Channel<byte[]> _free;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private byte[]? _current;
    private int _pos, _len;
    private bool _ended;

    public PrefetchStream(Stream inner, int blockSize = 1 << 20, int depth = 3)
    {
        _inner = inner;
        _filled = Channel.CreateBounded<(byte[], int)>(depth);
        _free = Channel.CreateUnbounded<byte[]>();
        for (int i = 0; i < depth + 1; i++) _free.Writer.TryWrite(ArrayPool<byte>.Shared.Rent(blockSize));
        _reader = Task.Run(ReadAheadAsync);
    }

    private async Task ReadAheadAsync()
    {
        try
        {
            while (true)
            {
                var block = await _free.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                int n = 0;
                try
                {
                    while (n < block.Length)
                    {
                        int r = await _inner.ReadAsync(block.AsMemory(n), _stop.Token).ConfigureAwait(false);
                        if (r == 0) break;
                        n += r;
                    }
                }
                catch (Exception) when (n > 0 && !_stop.IsCancellationRequested)
                {
                    await _filled.Writer.WriteAsync((block, n), _stop.Token).ConfigureAwait(false); // what came before the error
                    throw;
                }
                if (n > 0) await _filled.Writer.WriteAsync((block, n), _stop.Token).ConfigureAwait(false);
                else _free.Writer.TryWrite(block);
                if (n < block.Length) break;
            }
            _filled.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _filled.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _filled.Writer.TryComplete(e);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (_pos == _len)
        {
            if (_ended) return 0;
            if (_current is not null) _free.Writer.TryWrite(_current);
            _current = null;
            if (!_filled.Reader.TryRead(out var next))
            {
                bool more;
                try { more = _filled.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult(); }
                catch (IOException) { _ended = true; throw; }
                catch (Exception e) { _ended = true; throw new IOException(e.Message, e); }
                if (!more) { _ended = true; return 0; }
                continue;
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
            try { _reader.Wait(); } catch (AggregateException) { }
            _inner.Dispose();
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            while (_filled.Reader.TryRead(out var f)) ArrayPool<byte>.Shared.Return(f.Block);
            while (_free.Reader.TryRead(out var b)) ArrayPool<byte>.Shared.Return(b);
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
