namespace CrawlGrep.Core.Sources;

/// <summary>
/// Gives back the bytes already read from the head of a stream (to detect its format) before the
/// rest, so a source is opened and requested once.
/// </summary>
public sealed class ReplayStream(byte[] head, int headLength, Stream rest) : ForwardReadStream
{
    private int _pos;

    /// <summary>Reads up to <paramref name="probe"/> bytes of <paramref name="stream"/> and returns them with a stream that replays them.</summary>
    public static ReplayStream Peek(Stream stream, int probe, out ReadOnlySpan<byte> head)
    {
        var buf = new byte[probe];
        int n = stream.ReadAtLeast(buf, probe, throwOnEndOfStream: false);
        head = buf.AsSpan(0, n);
        return new ReplayStream(buf, n, stream);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_pos < headLength)
        {
            int n = Math.Min(buffer.Length, headLength - _pos);
            head.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
        return rest.Read(buffer);
    }

    protected override void Dispose(bool disposing) { if (disposing) rest.Dispose(); base.Dispose(disposing); }
}
