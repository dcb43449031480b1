namespace CrawlGrep.Core.Compression;

/// <summary>
/// What gzip and zstd decoding share: the input is a run of independently compressed units (gzip
/// members, zstd frames), each reported with its compressed offset and length. A corrupt unit is
/// reported once and skipped by resyncing on the next unit start; bytes between units are reported
/// and skipped; a unit cut off by the end of the input yields what could be decoded, then a gap.
/// </summary>
public abstract class UnitDecoder : IArchiveDecoder
{
    /// <summary>How one call into the codec ended.</summary>
    protected enum UnitStatus { More, End, Corrupt }

    private readonly DecoderWarning _warn;
    private bool _inUnit;
    private long _unitStart;
    private bool _done;
    private bool _gapPending;
    private bool _resyncing; // after corruption, false unit starts inside the damage are not reported again
    private bool _seeking;   // a range that starts mid-file: looking, silently, for its first true unit

    /// <param name="midStream">
    /// The input starts at an arbitrary offset (a task's range): bytes before the first unit are not damage, and
    /// a unit start is believed only after a trial decode (a gzip or zstd signature also occurs inside compressed data).
    /// </param>
    private protected UnitDecoder(Stream input, long baseOffset, DecoderWarning warn, int bufferSize, bool midStream = false)
        : this(new InputBuffer(input, baseOffset, bufferSize), warn, midStream) { }

    private protected UnitDecoder(InputBuffer input, DecoderWarning warn, bool midStream)
    {
        Input = input;
        _warn = warn;
        _seeking = midStream;
    }

    private protected InputBuffer Input { get; }

    public abstract ArchiveFormat Format { get; }
    public bool IsIdentity => false;
    public long CompressedBytesRead => Input.BytesRead;

    /// <summary>"gzip member", "zstd frame".</summary>
    protected abstract string UnitName { get; }
    /// <summary>"gzip", "zstd".</summary>
    protected abstract string CodecName { get; }
    /// <summary>
    /// Compressed bytes a run of back-to-back units must decode cleanly through before a mid-file start believes
    /// the first of them: more than the codec's longest stored (raw) block.
    /// </summary>
    protected abstract int ChainProof { get; }
    /// <summary>Bytes a unit can start with: the search for the next unit only stops at these.</summary>
    protected abstract ReadOnlySpan<byte> StartBytes { get; }
    /// <summary>Whether a unit starts at the head of <paramref name="s"/> (4 bytes are enough to tell).</summary>
    protected abstract bool IsUnitStart(ReadOnlySpan<byte> s, bool inputEnded);
    /// <summary>Decodes from <paramref name="input"/> into <paramref name="output"/> within the current unit.</summary>
    protected abstract UnitStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced, out string? error);
    /// <summary>Readies the codec for the next unit.</summary>
    protected abstract void ResetUnit();

    /// <summary>How an attempt to decode a whole unit in one call went.</summary>
    protected enum WholeUnit { Done, NeedInput, Stream }

    /// <summary>Compressed bytes a unit may take and still be decoded whole; longer ones are streamed.</summary>
    private const int MaxWholeInput = 4 << 20;

    private ReadOnlyMemory<byte> _whole; // a unit decoded whole, being handed out
    private long _wholeEnd;

    /// <summary>
    /// Decodes the unit at the head of <paramref name="input"/> in one call, where the codec can (faster than
    /// streaming): <see cref="WholeUnit.Done"/> with its output (valid until the next call) and the input it took;
    /// <see cref="WholeUnit.NeedInput"/> when the unit may not be complete in <paramref name="input"/>;
    /// <see cref="WholeUnit.Stream"/> to stream it instead (too large, or damaged: streaming reports the damage).
    /// </summary>
    /// <param name="dest">The caller's buffer: when the whole output fits, the codec may write it there directly and
    /// say how much in <paramref name="producedInDest"/> (-1 when it did not).</param>
    protected virtual WholeUnit DecodeWhole(ReadOnlySpan<byte> input, bool inputEnded, Span<byte> dest, out ReadOnlyMemory<byte> output,
        out int consumed, out int producedInDest)
    {
        output = default;
        consumed = producedInDest = 0;
        return WholeUnit.Stream;
    }

    public DecodeStep Read(Span<byte> dest)
    {
        if (_gapPending) { _gapPending = false; return DecodeStep.Gap; }
        if (!_whole.IsEmpty || _wholeEnd > 0) return HandOutWhole(dest);
        if (_done) return DecodeStep.End;
        if (!_inUnit && !StartUnit()) return _gapPending ? Read(dest) : DecodeStep.End;
        switch (TryDecodeWhole(dest, out int direct))
        {
            case true when direct >= 0:
                _inUnit = false;
                _resyncing = false;
                return new DecodeStep(direct, _unitStart, true, Input.Position);
            case true:
                return HandOutWhole(dest);
        }

        int total = 0;
        while (true)
        {
            if (Input.Available == 0 && !Input.Refill())
            {
                // Input ended inside a unit: keep what was decoded, say where it broke.
                if (total > 0) return new DecodeStep(total, _unitStart, false, -1);
                _warn(_unitStart, $"{UnitName} truncated: input ends at offset {Input.Position} before it is complete");
                _done = true;
                _gapPending = true; // then a gap: what was lost is reported here, once
                return new DecodeStep(0, _unitStart, true, Input.Position);
            }
            var status = Decode(Input.Span, dest[total..], out int consumed, out int produced, out string? error);
            Input.Start += consumed;
            total += produced;
            if (status == UnitStatus.End)
            {
                ResetUnit();
                _inUnit = false;
                _resyncing = false;
                return new DecodeStep(total, _unitStart, true, Input.Position);
            }
            if (status == UnitStatus.More)
            {
                if (total == dest.Length) return new DecodeStep(total, _unitStart, false, -1);
                continue; // input exhausted: the loop refills
            }
            // Corrupt data: report once, then look for the next unit after this one's start.
            if (!_resyncing) _warn(_unitStart, $"corrupt {UnitName}: {error}; skipping to the next one");
            _resyncing = true;
            ResetUnit();
            _inUnit = false;
            ResumeSearchAt(_unitStart + 1);
            if (total == 0) return DecodeStep.Gap;
            _gapPending = true;
            return new DecodeStep(total, _unitStart, true, Input.Position);
        }
    }

    /// <summary>
    /// Decodes the current unit whole if the codec can, reading more input while the unit may be incomplete: into
    /// <paramref name="dest"/> when it fits (<paramref name="direct"/> bytes), else into the codec's own buffer (-1).
    /// </summary>
    private bool TryDecodeWhole(Span<byte> dest, out int direct)
    {
        while (true)
        {
            var r = DecodeWhole(Input.Span, Input.StreamEnded, dest, out var output, out int consumed, out direct);
            if (r == WholeUnit.Done)
            {
                Input.Start += consumed;
                if (direct >= 0) return true;
                _whole = output;
                _wholeEnd = Input.Position;
                return true;
            }
            if (r == WholeUnit.NeedInput && Input.Available < MaxWholeInput && Input.Refill()) continue;
            return false;
        }
    }

    /// <summary>Hands out the unit decoded whole, as much as fits; the last piece ends the unit.</summary>
    private DecodeStep HandOutWhole(Span<byte> dest)
    {
        int n = Math.Min(dest.Length, _whole.Length);
        _whole.Span[..n].CopyTo(dest);
        _whole = _whole[n..];
        if (!_whole.IsEmpty) return new DecodeStep(n, _unitStart, false, -1);
        long end = _wholeEnd;
        _wholeEnd = 0;
        _inUnit = false;
        _resyncing = false;
        return new DecodeStep(n, _unitStart, true, end);
    }

    /// <summary>Positions at the next unit start; warns about and skips other bytes before it.</summary>
    private bool StartUnit()
    {
        Input.Ensure(4);
        if (Input.Available == 0) { _done = true; return false; }
        if (_seeking)
        {
            _seeking = false;
            if (!SeekFirstUnit()) { _done = true; return false; }
            _unitStart = Input.Position;
            _inUnit = true;
            return true;
        }
        if (IsUnitStart(Input.Span, Input.StreamEnded))
        {
            _unitStart = Input.Position;
            _inUnit = true;
            return true;
        }
        long garbageAt = Input.Position;
        if (!FindNextUnit())
        {
            _warn(garbageAt, $"{Input.Position - garbageAt} bytes of non-{CodecName} data at the end of the input ignored");
            _done = true;
            return false;
        }
        _warn(garbageAt, $"{Input.Position - garbageAt} bytes of non-{CodecName} data skipped before the {UnitName} at offset {Input.Position}");
        _gapPending = true;
        return false;
    }

    /// <summary>From a mid-file offset: the first unit start whose trial decode succeeds. False when the input has none.</summary>
    private bool SeekFirstUnit()
    {
        while (true)
        {
            if (!(IsUnitStart(Input.Span, Input.StreamEnded) || FindNextUnit())) return false;
            if (TrialDecode()) return true;
            Input.Start++;
        }
    }

    /// <summary>
    /// Whether the unit at the input position is real, judged by decoding into scratch space without consuming:
    /// it and the units that follow it back to back must decode cleanly through <see cref="ChainProof"/> bytes of
    /// input, or to the end of the input. A signature inside compressed data fails this: a stretch of stored
    /// (incompressible) data can hold a whole valid unit (a .warc.gz captured as a payload), but no longer than a
    /// stored block, and what follows it is the rest of that block, not a unit start.
    /// </summary>
    private bool TrialDecode()
    {
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int offset = 0; // from Input.Start
            while (true)
            {
                // One unit.
                while (true)
                {
                    if (Input.Available == offset && !Input.Refill()) return offset > 0; // cut off by the end: real damage, reported later
                    var status = Decode(Input.Span[offset..], scratch, out int consumed, out int made, out _);
                    offset += consumed;
                    if (status == UnitStatus.Corrupt) return false;
                    if (offset >= ChainProof) return true;
                    if (status == UnitStatus.End) break;
                    if (consumed == 0 && made == 0 && !Input.Refill()) return offset > 0;
                }
                ResetUnit();
                // The next one starts right here, or the input ends here.
                while (Input.Available - offset < 4 && Input.Refill()) { }
                if (Input.Available == offset) return true;
                if (!IsUnitStart(Input.Span[offset..], Input.StreamEnded)) return false;
            }
        }
        finally
        {
            ResetUnit();
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Resumes the unit search at <paramref name="offset"/>, or at the earliest byte still buffered.</summary>
    private void ResumeSearchAt(long offset)
    {
        long delta = offset - Input.Position;
        if (delta >= 0) Input.Start += (int)Math.Min(delta, Input.Available);
        else Input.Start -= (int)Math.Min(-delta, Input.Start);
        FindNextUnit();
    }

    /// <summary>Advances to the next plausible unit start. False when the input ends first.</summary>
    private bool FindNextUnit()
    {
        while (true)
        {
            var span = Input.Span;
            int i = 0;
            while (true)
            {
                int k = span[i..].IndexOfAny(StartBytes);
                if (k < 0) { i = span.Length; break; }
                i += k;
                if (span.Length - i < 4 && !Input.StreamEnded) break; // need more bytes to judge
                if (IsUnitStart(span[i..], Input.StreamEnded))
                {
                    Input.Start += i;
                    return true;
                }
                i++;
            }
            Input.Start += i;
            if (!Input.Refill()) { Input.Start = Input.End; return false; }
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Input.Dispose();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
