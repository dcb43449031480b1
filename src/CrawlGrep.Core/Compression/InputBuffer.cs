using System.Buffers;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// The compressed bytes a decoder holds, with the file offset of every one of them, so decoders can report exact
/// compressed positions. They come from a stream into a pooled buffer, or, for a local file, from its mapped
/// windows, read in place where the page cache holds them (no copy, no read-ahead thread).
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    /// <summary>
    /// Compressed bytes a mapped window holds ahead of the decoder: a member decoded whole needs its input in one piece
    /// (up to 4 MiB; more is streamed), and the pages of a window count in the worker's resident memory.
    /// </summary>
    private const int MappedAhead = 8 << 20;

    private readonly Stream? _stream;
    private readonly FileWindows? _windows;
    private byte[] _buf = [];
    private bool _eof;
    private long _read;

    public InputBuffer(Stream stream, long baseOffset, int size)
    {
        _stream = stream;
        _buf = ArrayPool<byte>.Shared.Rent(size);
        BufferOffset = baseOffset;
    }

    /// <summary>The file from <paramref name="baseOffset"/> on, in place; the windows are the buffer's to dispose.</summary>
    public InputBuffer(FileWindows windows, long baseOffset)
    {
        _windows = windows;
        BufferOffset = _origin = baseOffset;
    }

    private readonly long _origin;

    /// <summary>File offset of the first byte held (<c>Start</c> counts from it).</summary>
    public long BufferOffset { get; private set; }
    public int Start { get; set; }
    public int End { get; private set; }
    public int Available => End - Start;
    public long Position => BufferOffset + Start;
    public bool StreamEnded => _eof;
    /// <summary>Compressed bytes taken in: read from the stream, or, mapped, passed over (a window maps well ahead of its reader).</summary>
    public long BytesRead => _windows is null ? _read : Position - _origin;
    public ReadOnlySpan<byte> Span => _windows is { } w ? w.Current[Start..End] : _buf.AsSpan(Start, End - Start);

    /// <summary>
    /// Drops the bytes before <see cref="Start"/> and reads more after the unread ones. Returns false when nothing
    /// more could be read.
    /// </summary>
    public bool Refill() => _eof ? false : _windows is { } w ? Slide(w) : Read(_stream!);

    private bool Read(Stream stream)
    {
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
        int n = stream.Read(_buf, End, _buf.Length - End);
        if (n <= 0) { _eof = true; return false; }
        End += n;
        _read += n;
        return true;
    }

    /// <summary>Maps the next window from the first unread byte: it holds those bytes and a window's worth after them.</summary>
    private bool Slide(FileWindows w)
    {
        long from = Position;
        int unread = Available;
        if (from + unread >= w.Length) { _eof = true; return false; }
        int n = w.MoveTo(from, unread + 1, Math.Min(w.Window, MappedAhead));
        BufferOffset = from;
        Start = 0;
        End = n;
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
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
        _windows?.Dispose();
    }
}
