namespace CrawlGrep.Core.Compression;

/// <summary>
/// Decodes a sequence of gzip members, reporting each member's compressed offset and length.
/// A corrupt member is reported once and skipped by resyncing on the next member header; a
/// truncated last member yields what could be decoded.
/// </summary>
public sealed class GzipDecoder : IArchiveDecoder
{
    private readonly InputBuffer _in;
    private readonly NativeInflater _inflater = new();
    private readonly DecoderWarning _warn;
    private bool _inMember;
    private long _memberStart;
    private bool _done;
    private bool _gapPending;
    private bool _resyncing; // after corruption, false member headers inside the damage are not reported again

    public GzipDecoder(Stream input, long baseOffset, DecoderWarning warn, int bufferSize = 256 * 1024)
    {
        _in = new InputBuffer(input, baseOffset, bufferSize);
        _warn = warn;
    }

    public ArchiveFormat Format => ArchiveFormat.Gzip;
    public bool IsIdentity => false;
    public long CompressedBytesRead => _in.BytesRead;

    public DecodeStep Read(Span<byte> dest)
    {
        if (_gapPending) { _gapPending = false; return DecodeStep.Gap; }
        if (_done) return DecodeStep.End;
        if (!_inMember && !StartMember()) return _gapPending ? Read(dest) : DecodeStep.End;

        int total = 0;
        while (true)
        {
            if (_in.Available == 0 && !_in.Refill())
            {
                // Input ended inside a member: keep what was decoded, say where it broke.
                if (total > 0) return new DecodeStep(total, _memberStart, false, -1);
                _warn(_memberStart, $"gzip member truncated: input ends at offset {_in.Position} before the member is complete");
                _done = true;
                _gapPending = true; // then a gap: what was lost is reported here, once
                return new DecodeStep(0, _memberStart, true, _in.Position);
            }
            int rc = _inflater.Inflate(_in.Span, dest[total..], out int consumed, out int produced);
            _in.Start += consumed;
            total += produced;
            if (rc == NativeInflater.StreamEnd)
            {
                _inflater.Reset();
                _inMember = false;
                _resyncing = false;
                return new DecodeStep(total, _memberStart, true, _in.Position);
            }
            if (rc == NativeInflater.Ok || rc == NativeInflater.BufError)
            {
                if (total == dest.Length) return new DecodeStep(total, _memberStart, false, -1);
                continue; // input exhausted: loop refills
            }
            // Corrupt data: report once, then look for the next member after this one's start.
            if (!_resyncing)
                _warn(_memberStart, $"corrupt gzip member: {_inflater.Message ?? $"zlib error {rc}"}; skipping to the next member");
            _resyncing = true;
            _inflater.Reset();
            _inMember = false;
            long resumeFrom = _memberStart + 1;
            if (total > 0)
            {
                _gapPending = true;
                SkipTo(resumeFrom);
                return new DecodeStep(total, _memberStart, true, _in.Position);
            }
            SkipTo(resumeFrom);
            return DecodeStep.Gap;
        }
    }

    /// <summary>Positions at the next member header; warns about and skips non-gzip bytes between members.</summary>
    private bool StartMember()
    {
        _in.Ensure(4);
        if (_in.Available == 0) { _done = true; return false; }
        if (LooksLikeMemberHeader(_in.Span, _in.StreamEnded))
        {
            _memberStart = _in.Position;
            _inMember = true;
            return true;
        }
        long garbageAt = _in.Position;
        if (!FindNextMember())
        {
            _warn(garbageAt, $"{_in.Position - garbageAt} bytes of non-gzip data at the end of the input ignored");
            _done = true;
            return false;
        }
        _warn(garbageAt, $"{_in.Position - garbageAt} bytes of non-gzip data skipped before the member at offset {_in.Position}");
        _gapPending = true;
        return false;
    }

    /// <summary>Resumes the header search at <paramref name="offset"/>, or at the earliest byte still buffered.</summary>
    private void SkipTo(long offset)
    {
        long delta = offset - _in.Position;
        if (delta >= 0) _in.Start += (int)Math.Min(delta, _in.Available);
        else _in.Start -= (int)Math.Min(-delta, _in.Start);
        FindNextMember();
    }

    /// <summary>Advances to the next plausible gzip member header (1f 8b 08, reserved flag bits clear).</summary>
    private bool FindNextMember()
    {
        while (true)
        {
            var span = _in.Span;
            int i = 0;
            while (true)
            {
                int k = span[i..].IndexOf((byte)0x1f);
                if (k < 0) { i = span.Length; break; }
                i += k;
                if (span.Length - i < 4 && !_in.StreamEnded) break; // need more bytes to judge
                if (LooksLikeMemberHeader(span[i..], _in.StreamEnded))
                {
                    _in.Start += i;
                    return true;
                }
                i++;
            }
            _in.Start += i;
            if (!_in.Refill()) { _in.Start = _in.End; return false; }
        }
    }

    private static bool LooksLikeMemberHeader(ReadOnlySpan<byte> s, bool streamEnded)
    {
        if (s.Length < 4) return s.Length >= 2 && s[0] == 0x1f && s[1] == 0x8b && streamEnded;
        return s[0] == 0x1f && s[1] == 0x8b && s[2] == 0x08 && (s[3] & 0xE0) == 0;
    }

    public void Dispose()
    {
        _inflater.Dispose();
        _in.Dispose();
    }
}
