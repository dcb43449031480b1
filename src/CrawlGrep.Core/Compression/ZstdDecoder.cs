using System.Buffers.Binary;
using CrawlGrep.Core.Sources;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// IIPC warc-zstd: an optional dictionary in a skippable frame at the head of the file, then one
/// zstd frame per record. Each frame is a unit with its exact compressed offset and length.
/// </summary>
public sealed unsafe class ZstdDecoder : UnitDecoder
{
    private readonly ZSTD_DCtx_s* _dctx;

    /// <param name="dictionary">The dictionary, when decoding a range that does not include the file head.</param>
    /// <param name="midStream">The input starts at an arbitrary offset of the file (see <see cref="UnitDecoder"/>).</param>
    public ZstdDecoder(Stream input, long baseOffset, DecoderWarning warn, byte[]? dictionary = null, int bufferSize = 256 * 1024, bool midStream = false)
        : this(new InputBuffer(input, baseOffset, bufferSize), baseOffset, warn, dictionary, midStream) { }

    /// <summary>A local file's frames read in place from its mapped windows (which the decoder then owns).</summary>
    public ZstdDecoder(FileWindows file, long baseOffset, DecoderWarning warn, byte[]? dictionary = null, bool midStream = false)
        : this(new InputBuffer(file, baseOffset), baseOffset, warn, dictionary, midStream) { }

    private ZstdDecoder(InputBuffer input, long baseOffset, DecoderWarning warn, byte[]? dictionary, bool midStream)
        : base(input, warn, midStream)
    {
        _dctx = Methods.ZSTD_createDCtx();
        if (dictionary is not null) LoadDictionary(dictionary);
        if (baseOffset == 0 && !midStream) ReadDictionaryFrame(warn);
    }

    public override ArchiveFormat Format => ArchiveFormat.Zstd;
    protected override string UnitName => "zstd frame";
    protected override string CodecName => "zstd";
    protected override int ChainProof => 160 * 1024; // a raw zstd block holds at most 128 KiB
    // Frame magic 28 b5 2f fd; skippable frames 5X 2a 4d 18.
    protected override ReadOnlySpan<byte> StartBytes => [0x28, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F];

    protected override bool IsUnitStart(ReadOnlySpan<byte> s, bool inputEnded)
    {
        if (s.Length < 4) return false;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(s);
        return magic == ZstdFormat.FrameMagic || (magic & 0xFFFFFFF0) == ZstdFormat.SkippableMagicBase;
    }

    /// <summary>Reads the dictionary from a skippable frame of a warc-zstd file head (null when there is none).</summary>
    public static byte[]? ReadDictionary(Stream fileHead)
    {
        Span<byte> hdr = stackalloc byte[8];
        if (fileHead.ReadAtLeast(hdr, 8, throwOnEndOfStream: false) < 8) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(hdr) != ZstdFormat.DictionaryFrameMagic) return null;
        int size = BinaryPrimitives.ReadInt32LittleEndian(hdr[4..]);
        var dict = new byte[size];
        fileHead.ReadExactly(dict);
        return UnwrapDictionary(dict);
    }

    /// <summary>
    /// The dictionary at the head of <paramref name="source"/>, read with two small range reads (the frame header,
    /// then the frame), so a range that starts elsewhere does not open, or read ahead in, the whole file.
    /// </summary>
    public static byte[]? ReadDictionary(IByteSource source)
    {
        Span<byte> hdr = stackalloc byte[8];
        using (var head = source.OpenRange(0, Math.Min(source.Length, hdr.Length)))
            if (head.ReadAtLeast(hdr, hdr.Length, throwOnEndOfStream: false) < hdr.Length) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(hdr) != ZstdFormat.DictionaryFrameMagic) return null;
        long frameEnd = hdr.Length + (long)Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(hdr[4..]));
        using var frame = source.OpenRange(0, Math.Min(source.Length, frameEnd));
        return ReadDictionary(frame);
    }

    private void ReadDictionaryFrame(DecoderWarning warn)
    {
        if (!Input.Ensure(8)) return;
        if (BinaryPrimitives.ReadUInt32LittleEndian(Input.Span) != ZstdFormat.DictionaryFrameMagic) return;
        int size = BinaryPrimitives.ReadInt32LittleEndian(Input.Span[4..]);
        if (size < 0 || !Input.Ensure(8 + size))
        {
            warn(Input.Position, "zstd dictionary frame is truncated; frames that need it will fail");
            return;
        }
        LoadDictionary(UnwrapDictionary(Input.Span.Slice(8, size).ToArray()));
        Input.Start += 8 + size;
    }

    // The spec allows the dictionary itself to be zstd-compressed.
    private static byte[] UnwrapDictionary(byte[] dict) =>
        dict.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(dict) == ZstdFormat.FrameMagic
            ? new Decompressor().Unwrap(dict).ToArray()
            : dict;

    private void LoadDictionary(byte[] dict)
    {
        fixed (byte* p = dict)
        {
            nuint rc = Methods.ZSTD_DCtx_loadDictionary(_dctx, p, (nuint)dict.Length);
            if (Methods.ZSTD_isError(rc)) throw new InvalidDataException($"zstd dictionary: {Methods.ZSTD_getErrorName(rc)}");
        }
    }

    protected override UnitStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced, out string? error)
    {
        nuint rc;
        fixed (byte* pin = input)
        fixed (byte* pout = output)
        {
            var inb = new ZSTD_inBuffer_s { src = pin, size = (nuint)input.Length, pos = 0 };
            var outb = new ZSTD_outBuffer_s { dst = pout, size = (nuint)output.Length, pos = 0 };
            rc = Methods.ZSTD_decompressStream(_dctx, &outb, &inb);
            consumed = (int)inb.pos;
            produced = (int)outb.pos;
        }
        error = null;
        if (Methods.ZSTD_isError(rc)) { error = Methods.ZSTD_getErrorName(rc); return UnitStatus.Corrupt; }
        return rc == 0 ? UnitStatus.End : UnitStatus.More;
    }

    protected override void ResetUnit() => Methods.ZSTD_DCtx_reset(_dctx, ZSTD_ResetDirective.ZSTD_reset_session_only);

    protected override void Dispose(bool disposing)
    {
        Methods.ZSTD_freeDCtx(_dctx);
        base.Dispose(disposing);
    }
}
