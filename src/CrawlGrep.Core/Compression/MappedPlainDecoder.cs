using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Compression;

/// <summary>Uncompressed WARC read in place from a mapped local file: a decoded position is a file position minus the base.</summary>
public sealed class MappedPlainDecoder(FileWindows file, long baseOffset) : IWindowedDecoder
{
    private long _windowEnd; // decoded position just past the furthest window shown
    private long _readPos;   // for Read, the copying interface

    public ArchiveFormat Format => ArchiveFormat.Plain;
    public bool IsIdentity => true;
    public long BaseOffset => baseOffset;
    public long CompressedBytesRead => Math.Max(_windowEnd, _readPos);
    public ReadOnlySpan<byte> Window => file.Current;

    public int Slide(long from, long minLength)
    {
        int n = file.MoveTo(baseOffset + from, minLength);
        _windowEnd = Math.Max(_windowEnd, from + n);
        return n;
    }

    public DecodeStep Read(Span<byte> dest)
    {
        long left = file.Length - baseOffset - _readPos;
        if (left <= 0 || dest.IsEmpty) return DecodeStep.End;
        if (file.Start - baseOffset > _readPos || file.Start - baseOffset + file.Current.Length <= _readPos) Slide(_readPos, dest.Length);
        var from = file.Current[(int)(_readPos - (file.Start - baseOffset))..];
        int n = Math.Min(from.Length, dest.Length);
        from[..n].CopyTo(dest);
        var step = new DecodeStep(n, baseOffset + _readPos, false, -1);
        _readPos += n;
        return step;
    }

    public void Dispose() => file.Dispose();
}
