using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Compression;

/// <summary>A run of gzip members (one per record in Common Crawl).</summary>
/// <remarks>Members are decoded whole by the <paramref name="engine"/> (by default <see cref="InflateEngines.Default"/>:
/// libdeflate where it is installed) unless <paramref name="wholeMembers"/> is false, else streamed through zlib-ng;
/// damaged and very large members are always streamed.</remarks>
public sealed class GzipDecoder : UnitDecoder
{
    private readonly NativeInflater _inflater = new();
    private readonly MemberInflater? _members;
    private byte[] _out = [];

    public GzipDecoder(Stream input, long baseOffset, DecoderWarning warn, int bufferSize = 256 * 1024, bool midStream = false,
        bool wholeMembers = true, InflateEngine? engine = null)
        : base(input, baseOffset, warn, bufferSize, midStream)
    {
        _members = wholeMembers ? MemberInflater.Create(engine ?? InflateEngines.Default) : null;
    }

    /// <summary>A local file's members read in place from its mapped windows (which the decoder then owns).</summary>
    public GzipDecoder(FileWindows file, long baseOffset, DecoderWarning warn, bool midStream = false)
        : base(new InputBuffer(file, baseOffset), warn, midStream)
    {
        _members = MemberInflater.Create(InflateEngines.Default);
    }

    /// <summary>Room in the caller's buffer worth decoding a member straight into.</summary>
    private const int DirectMin = 256 << 10;

    /// <summary>Output a member may have and still be decoded whole; larger ones are streamed.</summary>
    private const int MaxWholeOutput = 16 << 20;

    /// <summary>The engine this decoder inflates members with (zlib-ng when the one asked for is not loaded here).</summary>
    public InflateEngine Engine => _members?.Engine ?? InflateEngine.Zlib;

    /// <summary>The name of <see cref="Engine"/>: "libdeflate", "isa-l", "zlib-ng".</summary>
    public string Backend => InflateEngines.Name(Engine);

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

    /// <summary>With a whole-member engine: the member in one call (its CRC and length checked), into the caller's buffer or one kept from
    /// member to member.</summary>
    protected override WholeUnit DecodeWhole(ReadOnlySpan<byte> input, bool inputEnded, Span<byte> dest, out ReadOnlyMemory<byte> output,
        out int consumed, out int producedInDest)
    {
        output = default;
        consumed = 0;
        producedInDest = -1;
        if (_members is null) return WholeUnit.Stream;
        // Straight into the caller's buffer when it has room for a typical member: no copy. Too small, and the
        // attempt's work is lost, so a small buffer is not tried.
        if (dest.Length >= DirectMin)
        {
            int rc = _members.Decompress(input, dest, out consumed, out int made);
            if (rc == MemberInflater.Success)
            {
                producedInDest = made;
                return WholeUnit.Done;
            }
            consumed = 0;
            if (rc != MemberInflater.InsufficientSpace) return inputEnded ? WholeUnit.Stream : WholeUnit.NeedInput;
        }
        if (_out.Length == 0) _out = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        while (true)
        {
            int rc = _members.Decompress(input, _out, out consumed, out int produced);
            if (rc == MemberInflater.Success)
            {
                output = _out.AsMemory(0, produced);
                return WholeUnit.Done;
            }
            if (rc == MemberInflater.InsufficientSpace && _out.Length < MaxWholeOutput)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_out);
                _out = System.Buffers.ArrayPool<byte>.Shared.Rent(_out.Length * 4);
                continue;
            }
            // Bad data: the member may just not be all in the buffer yet; else it is damaged, and streaming says where.
            consumed = 0;
            return rc == MemberInflater.InsufficientSpace || inputEnded ? WholeUnit.Stream : WholeUnit.NeedInput;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            _members?.Dispose();
            if (_out.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(_out);
            _out = [];
        }
        base.Dispose(disposing);
    }
}
