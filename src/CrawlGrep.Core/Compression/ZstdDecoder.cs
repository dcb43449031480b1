using System.Buffers.Binary;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// IIPC warc-zstd: an optional dictionary in a skippable frame at the head of the file, then one
/// zstd frame per record. Each frame is a unit with its exact compressed offset and length.
/// </summary>
public sealed unsafe class ZstdDecoder : IArchiveDecoder
{
    private readonly InputBuffer _in;
    private readonly DecoderWarning _warn;
    private readonly ZSTD_DCtx_s* _dctx;
    private bool _inFrame;
    private long _frameStart;
    private bool _done;
    private bool _gapPending;
    private bool _resyncing;

    /// <param name="dictionary">The dictionary, when decoding a range that does not include the file head.</param>
    public ZstdDecoder(Stream input, long baseOffset, DecoderWarning warn, byte[]? dictionary = null, int bufferSize = 256 * 1024)
    {
        _in = new InputBuffer(input, baseOffset, bufferSize);
        _warn = warn;
        _dctx = Methods.ZSTD_createDCtx();
        if (dictionary is not null) LoadDictionary(dictionary);
        if (baseOffset == 0) ReadDictionaryFrame();
    }

    public ArchiveFormat Format => ArchiveFormat.Zstd;
    public bool IsIdentity => false;
    public long CompressedBytesRead => _in.BytesRead;

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

    private void ReadDictionaryFrame()
    {
        if (!_in.Ensure(8)) return;
        if (BinaryPrimitives.ReadUInt32LittleEndian(_in.Span) != ZstdFormat.DictionaryFrameMagic) return;
        int size = BinaryPrimitives.ReadInt32LittleEndian(_in.Span[4..]);
        if (size < 0 || !_in.Ensure(8 + size))
        {
            _warn(_in.Position, "zstd dictionary frame is truncated; frames that need it will fail");
            return;
        }
        LoadDictionary(UnwrapDictionary(_in.Span.Slice(8, size).ToArray()));
        _in.Start += 8 + size;
    }

    // The spec allows the dictionary itself to be zstd-compressed.
    private static byte[] UnwrapDictionary(byte[] dict) =>
        dict.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(dict) == ZstdFormat.FrameMagic
            ? new Decompressor().Unwrap(dict).ToArray()
            : dict;

    private void LoadDictionary(byte[] dict)
    {
        fixed (byte* p = dict)
            Check(Methods.ZSTD_DCtx_loadDictionary(_dctx, p, (nuint)dict.Length));
    }

    private static void Check(nuint rc)
    {
        if (Methods.ZSTD_isError(rc))
            throw new InvalidDataException(Methods.ZSTD_getErrorName(rc));
    }

    public DecodeStep Read(Span<byte> dest)
    {
        if (_gapPending) { _gapPending = false; return DecodeStep.Gap; }
        if (_done) return DecodeStep.End;
        if (!_inFrame && !StartFrame()) return _gapPending ? Read(dest) : DecodeStep.End;

        int total = 0;
        while (true)
        {
            if (_in.Available == 0 && !_in.Refill())
            {
                if (total > 0) return new DecodeStep(total, _frameStart, false, -1);
                _warn(_frameStart, $"zstd frame truncated: input ends at offset {_in.Position} before the frame is complete");
                _done = true;
                _gapPending = true; // then a gap: what was lost is reported here, once
                return new DecodeStep(0, _frameStart, true, _in.Position);
            }
            nuint rc;
            int consumed, produced;
            fixed (byte* pin = _in.Span)
            fixed (byte* pout = dest[total..])
            {
                var inb = new ZSTD_inBuffer_s { src = pin, size = (nuint)_in.Available, pos = 0 };
                var outb = new ZSTD_outBuffer_s { dst = pout, size = (nuint)(dest.Length - total), pos = 0 };
                rc = Methods.ZSTD_decompressStream(_dctx, &outb, &inb);
                consumed = (int)inb.pos;
                produced = (int)outb.pos;
            }
            _in.Start += consumed;
            total += produced;
            if (Methods.ZSTD_isError(rc))
            {
                string msg = Methods.ZSTD_getErrorName(rc);
                if (!_resyncing) _warn(_frameStart, $"corrupt zstd frame: {msg}; skipping to the next frame");
                _resyncing = true;
                Methods.ZSTD_DCtx_reset(_dctx, ZSTD_ResetDirective.ZSTD_reset_session_only);
                _inFrame = false;
                long delta = _frameStart + 1 - _in.Position;
                if (delta >= 0) _in.Start += (int)Math.Min(delta, _in.Available);
                else _in.Start -= (int)Math.Min(-delta, _in.Start);
                FindNextFrame();
                if (total > 0) { _gapPending = true; return new DecodeStep(total, _frameStart, true, _in.Position); }
                return DecodeStep.Gap;
            }
            if (rc == 0)
            {
                _inFrame = false;
                _resyncing = false;
                return new DecodeStep(total, _frameStart, true, _in.Position);
            }
            if (total == dest.Length) return new DecodeStep(total, _frameStart, false, -1);
        }
    }

    private bool StartFrame()
    {
        _in.Ensure(4);
        if (_in.Available == 0) { _done = true; return false; }
        if (IsFrameStart(_in.Span))
        {
            _frameStart = _in.Position;
            _inFrame = true;
            return true;
        }
        long garbageAt = _in.Position;
        bool found = FindNextFrame();
        _warn(garbageAt, found
            ? $"{_in.Position - garbageAt} bytes of non-zstd data skipped before the frame at offset {_in.Position}"
            : $"{_in.Position - garbageAt} bytes of non-zstd data at the end of the input ignored");
        if (!found) { _done = true; return false; }
        _gapPending = true;
        return false;
    }

    private static bool IsFrameStart(ReadOnlySpan<byte> s)
    {
        if (s.Length < 4) return false;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(s);
        return magic == ZstdFormat.FrameMagic || (magic & 0xFFFFFFF0) == ZstdFormat.SkippableMagicBase;
    }

    private bool FindNextFrame()
    {
        while (true)
        {
            var span = _in.Span;
            int i = 0;
            while (span.Length - i >= 4)
            {
                int k = span[i..^3].IndexOfAny((byte)0x28, (byte)0x50, (byte)0x5D);
                if (k < 0) { i = span.Length - 3; break; }
                i += k;
                if (IsFrameStart(span[i..])) { _in.Start += i; return true; }
                i++;
            }
            _in.Start += Math.Max(0, i);
            if (!_in.Refill()) { _in.Start = _in.End; return false; }
        }
    }

    public void Dispose()
    {
        Methods.ZSTD_freeDCtx(_dctx);
        _in.Dispose();
    }
}
