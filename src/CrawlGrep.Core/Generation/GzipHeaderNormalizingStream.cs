namespace CrawlGrep.Core.Generation;

/// <summary>
/// A write-only pass-through that counts bytes and sets the OS byte of the gzip header passing through it
/// (offset 9) to 3 (Unix), as in Common Crawl's files. zlib writes the build platform there, which would
/// make the same corpus differ between operating systems.
/// </summary>
internal sealed class GzipHeaderNormalizingStream(Stream inner) : Stream
{
    private const int OsByteOffset = 9;
    internal const byte UnixOsByte = 3;
    private long _count;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _count;
    public override long Position { get => _count; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_count <= OsByteOffset && _count + buffer.Length > OsByteOffset)
        {
            byte[] copy = buffer.ToArray();
            copy[OsByteOffset - _count] = UnixOsByte;
            inner.Write(copy);
        }
        else
        {
            inner.Write(buffer);
        }
        _count += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
