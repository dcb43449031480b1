namespace CrawlGrep.Core.Compression;

/// <summary>A run of gzip members (one per record in Common Crawl), inflated by zlib-ng.</summary>
public sealed class GzipDecoder(Stream input, long baseOffset, DecoderWarning warn, int bufferSize = 256 * 1024, bool midStream = false)
    : UnitDecoder(input, baseOffset, warn, bufferSize, midStream)
{
    private readonly NativeInflater _inflater = new();

    public override ArchiveFormat Format => ArchiveFormat.Gzip;
    protected override string UnitName => "gzip member";
    protected override string CodecName => "gzip";
    protected override ReadOnlySpan<byte> StartBytes => [0x1f];
    protected override int ChainProof => 80 * 1024; // a stored deflate block holds at most 65,535 bytes

    /// <summary>1f 8b 08 with the reserved flag bits clear (or a bare 1f 8b at the very end).</summary>
    protected override bool IsUnitStart(ReadOnlySpan<byte> s, bool inputEnded)
    {
        if (s.Length < 4) return s.Length >= 2 && s[0] == 0x1f && s[1] == 0x8b && inputEnded;
        return s[0] == 0x1f && s[1] == 0x8b && s[2] == 0x08 && (s[3] & 0xE0) == 0;
    }

    protected override UnitStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced, out string? error)
    {
        int rc = _inflater.Inflate(input, output, out consumed, out produced);
        error = null;
        if (rc == NativeInflater.StreamEnd) return UnitStatus.End;
        if (rc is NativeInflater.Ok or NativeInflater.BufError) return UnitStatus.More;
        error = _inflater.Message ?? $"zlib error {rc}";
        return UnitStatus.Corrupt;
    }

    protected override void ResetUnit() => _inflater.Reset();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inflater.Dispose();
        base.Dispose(disposing);
    }
}
