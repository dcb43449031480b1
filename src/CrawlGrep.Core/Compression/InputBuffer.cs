using System.Buffers;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// A pooled window over a compressed input stream that remembers the file offset of every byte
/// it holds, so decoders can report exact compressed positions.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buf;
    private bool _eof;

    public InputBuffer(Stream stream, long baseOffset, int size)
    {
        _stream = stream;
        _buf = ArrayPool<byte>.Shared.Rent(size);
        BufferOffset = baseOffset;
    }

    /// <summary>File offset of <c>Data[0]</c>.</summary>
    public long BufferOffset { get; private set; }
    public byte[] Array => _buf;
    public int Start { get; set; }
    public int End { get; private set; }
    public int Available => End - Start;
    public long Position => BufferOffset + Start;
    public bool StreamEnded => _eof;
    public long BytesRead { get; private set; }
    public ReadOnlySpan<byte> Span => _buf.AsSpan(Start, End - Start);

    /// <summary>Moves unread bytes to the front and reads more. Returns false when nothing more could be read.</summary>
    public bool Refill()
    {
        if (_eof) return false;
        if (Start > 0)
        {
            Buffer.BlockCopy(_buf, Start, _buf, 0, End - Start);
            BufferOffset += Start;
            End -= Start;
            Start = 0;
        }
        if (End == _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buf.Length * 2);
            Buffer.BlockCopy(_buf, 0, bigger, 0, End);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
        int n = _stream.Read(_buf, End, _buf.Length - End);
        if (n <= 0) { _eof = true; return false; }
        End += n;
        BytesRead += n;
        return true;
    }

    /// <summary>Ensures at least <paramref name="count"/> unread bytes, unless the input ends first.</summary>
    public bool Ensure(int count)
    {
        while (Available < count)
            if (!Refill()) return false;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
    }
}
