namespace CrawlGrep.Core.Sources;

/// <summary>Reads at most <c>length</c> bytes of an inner stream.</summary>
public sealed class RangeStream(Stream inner, long length) : ForwardReadStream
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0) return 0;
        int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }

    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
}
