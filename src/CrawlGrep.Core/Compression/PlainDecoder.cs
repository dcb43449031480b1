namespace CrawlGrep.Core.Compression;

/// <summary>Uncompressed WARC: bytes pass through; a decoded position is a file position.</summary>
public sealed class PlainDecoder(Stream input, long baseOffset) : IArchiveDecoder
{
    private long _position = baseOffset;
    private long _read;

    public ArchiveFormat Format => ArchiveFormat.Plain;
    public bool IsIdentity => true;
    public long CompressedBytesRead => _read;

    public DecodeStep Read(Span<byte> dest)
    {
        int n = input.Read(dest);
        if (n <= 0) return DecodeStep.End;
        var step = new DecodeStep(n, _position, false, -1);
        _position += n;
        _read += n;
        return step;
    }

    public void Dispose() { }
}
