using System.Buffers;
using CrawlGrep.Core.Compression;

namespace CrawlGrep.Core.Warc;

/// <summary>
/// WarcReader stage: turns decoded bytes into records, each with its compressed offset and length.
/// Tolerates LF-only lines, missing Content-Length, garbage between records, truncated records and
/// gaps left by damaged compressed data: each is one warning, and reading goes on.
/// All positions below are decoded positions (0 = first decoded byte), buffer indices are derived.
/// </summary>
public sealed class WarcReader : IDisposable
{
    private struct Unit { public long DecStart, CompStart, CompEnd; }

    private readonly IArchiveDecoder _dec;
    private readonly DecoderWarning _warn;
    private readonly WarcReaderOptions _opt;
    private readonly List<Unit> _units = new();
    private byte[] _buf;           // the bytes, when they are copied out of the decoder
    private readonly IWindowedDecoder? _window; // or the decoder's window over them, where they already lie in memory
    private long _bufPos;          // decoded position of the first byte held
    private int _end;              // valid bytes held
    private long _keep;            // bytes before this position may be dropped
    private long _cursor;
    private bool _eof, _gap;
    private long _identityBase = -1;

    private bool _inRecord;
    private long _recStart, _blockStart, _blockLen, _blockEnd;
    private long _streamPos;

    public WarcReader(IArchiveDecoder decoder, DecoderWarning warn, WarcReaderOptions? options = null)
    {
        _dec = decoder;
        _warn = warn;
        _opt = options ?? new WarcReaderOptions();
        _window = decoder as IWindowedDecoder;
        _buf = _window is null ? ArrayPool<byte>.Shared.Rent(_opt.InitialBuffer) : [];
        if (_window is not null) _identityBase = _window.BaseOffset;
        _seekFirst = _opt.StartsMidStream;
    }

    /// <summary>The bytes held, decoded positions [_bufPos, DataEnd).</summary>
    private ReadOnlySpan<byte> Data
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => _window is null ? _buf.AsSpan(0, _end) : _window.Window[.._end];
    }

    private bool _seekFirst;
    private WarcHeader? _probe;

    public WarcHeader Header { get; } = new();
    public long RecordsRead { get; private set; }
    /// <summary>True when the input did not start with a WARC record (e.g. not a WARC file at all).</summary>
    public bool StartedWithGarbage { get; private set; }
    /// <summary>Decoded bytes produced so far.</summary>
    public long DecodedBytes => _bufPos + _end;
    /// <summary>Input bytes read so far; of a window, the bytes up to where the reader has got (a window maps ahead of it).</summary>
    public long CompressedBytesRead => _window is null ? _dec.CompressedBytesRead : Math.Min(DataEnd, Math.Max(_cursor, _streamPos));

    // ---- the current record ----
    public long CompressedOffset { get; private set; }
    /// <summary>Set by <see cref="CompleteRecord"/>; 0 when the record shares its compressed unit with others.</summary>
    public long CompressedLength { get; private set; }
    public long DecodedOffset => _recStart;
    public long BlockLength => _blockLen;
    public bool Truncated { get; private set; }

    private int Index(long pos) => (int)(pos - _bufPos);
    private long DataEnd => _bufPos + _end;

    /// <summary>Reads one more decoder step into the buffer. False at end of input or at a gap.</summary>
    private bool Fill()
    {
        if (_eof || _gap) return false;
        if (_window is not null) return Slide();
        if (_end == _buf.Length) MakeRoom();
        var step = _dec.Read(_buf.AsSpan(_end));
        if (step.Discontinuity) { _gap = true; return false; }
        if (step.EndOfInput) { _eof = true; return false; }
        if (_dec.IsIdentity)
        {
            if (_identityBase < 0) _identityBase = step.UnitStart - DataEnd;
        }
        else if (step.Bytes > 0 || step.UnitEnded)
        {
            if (_units.Count == 0 || _units[^1].CompStart != step.UnitStart || _units[^1].CompEnd >= 0)
                _units.Add(new Unit { DecStart = DataEnd, CompStart = step.UnitStart, CompEnd = -1 });
            if (step.UnitEnded)
            {
                var u = _units[^1];
                u.CompEnd = step.UnitEnd;
                _units[^1] = u;
            }
        }
        _end += step.Bytes;
        return true;
    }

    /// <summary>
    /// The window's Fill: a window from <see cref="_keep"/> that holds more than the bytes held from there now. False at
    /// the end of the input.
    /// </summary>
    private bool Slide()
    {
        long from = Math.Min(_keep, DataEnd);
        long held = DataEnd - from;
        int n = _window!.Slide(from, held + 1);
        _bufPos = from;
        _end = n;
        if (n > held) return true;
        _eof = true;
        return false;
    }

    /// <summary>Drops bytes before <see cref="_keep"/>, growing the buffer only when that frees nothing.</summary>
    private void MakeRoom()
    {
        int drop = Index(_keep);
        if (drop > 0)
        {
            Buffer.BlockCopy(_buf, drop, _buf, 0, _end - drop);
            _end -= drop;
            _bufPos += drop;
            PruneUnits();
        }
        if (_end > _buf.Length - _buf.Length / 8)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buf.Length * 2);
            Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
    }

    private void PruneUnits()
    {
        int k = 0;
        while (k + 1 < _units.Count && _units[k + 1].DecStart <= _keep) k++;
        if (k > 0) _units.RemoveRange(0, k);
    }

    /// <summary>Makes at least <paramref name="count"/> bytes from <paramref name="pos"/> available if the input allows.</summary>
    private bool Ensure(long pos, long count)
    {
        while (DataEnd - pos < count)
            if (!Fill()) return false;
        return true;
    }

    private int UnitIndex(long pos)
    {
        for (int i = _units.Count - 1; i >= 0; i--)
            if (_units[i].DecStart <= pos) return i;
        return 0;
    }

    /// <summary>The compressed offset to report for damage at decoded position <paramref name="pos"/>.</summary>
    public long CompressedOffsetOf(long pos)
    {
        if (_dec.IsIdentity) return pos + Math.Max(0, _identityBase);
        return _units.Count == 0 ? _dec.CompressedBytesRead : _units[UnitIndex(pos)].CompStart;
    }

    private void Warn(long pos, string message) => _warn(CompressedOffsetOf(pos), message);

    /// <summary>Advances to the next record and parses its header. False when the input is exhausted.</summary>
    public bool MoveNext()
    {
        if (_inRecord) CompleteRecord();
        if (_seekFirst)
        {
            _seekFirst = false;
            if (!SeekFirstRecord()) return false;
        }
        while (true)
        {
            _keep = _cursor;
            if (!SkipBlankLines())
            {
                if (_gap) { _gap = false; _units.Clear(); continue; }
                return false;
            }
            Ensure(_cursor, 6);
            if (!IsRecordStart(_cursor))
            {
                if (RecordsRead == 0) StartedWithGarbage = true;
                long garbage = _cursor;
                bool found = FindRecordStart();
                if (!(StartedWithGarbage && RecordsRead == 0 && !found))
                    Warn(garbage, $"{_cursor - garbage} bytes of unreadable data skipped{(found ? " before the next record" : "")}");
                if (!found)
                {
                    if (_gap) { _gap = false; _units.Clear(); continue; }
                    return false;
                }
            }
            if (ParseHeader()) return true;
        }
    }

    /// <summary>
    /// From a mid-file start: moves, silently, to the first confirmed record start: a <c>WARC/</c> line after a
    /// newline, or at the first byte of a compressed unit. False when the data holds none.
    /// </summary>
    private bool SeekFirstRecord()
    {
        long from = _cursor;
        bool unitHead = true; // the data begins with a unit: a record may start at its first byte
        while (true)
        {
            _keep = from;
            if (unitHead) Ensure(from, 6);
            int i = Index(from);
            var s = Data[i..];
            long candidate = -1;
            if (unitHead && !_dec.IsIdentity && s.StartsWith("WARC/"u8))
                candidate = from;
            else if (s.IndexOf("\nWARC/"u8) is int k and >= 0)
                candidate = from + k + 1;
            if (candidate >= 0)
            {
                if (ConfirmedRecordAt(candidate))
                {
                    _cursor = candidate;
                    _keep = candidate;
                    return true;
                }
                from = candidate;
                _cursor = candidate;
                unitHead = false;
                continue;
            }
            unitHead = false;
            // keep the last 5 bytes in case the marker straddles the refill
            from = Math.Max(from, DataEnd - 5);
            _cursor = from;
            _keep = from;
            if (!Fill())
            {
                if (_gap) { _gap = false; _units.Clear(); from = _cursor = DataEnd; unitHead = true; continue; }
                _cursor = DataEnd;
                return false;
            }
        }
    }

    /// <summary>Whether a record header starts at <paramref name="pos"/>, as <see cref="WarcReaderOptions.StartsMidStream"/> says.</summary>
    private bool ConfirmedRecordAt(long pos)
    {
        _keep = pos;
        if (!Ensure(pos, 6) || !IsRecordStart(pos)) return false;
        if (ScanHeader(pos, 64 * 1024, out long versionEnd, out long headerEnd) != HeaderScan.Found) return false;
        _probe ??= new WarcHeader();
        var data = Data;
        int vs = Index(pos), ve = Index(versionEnd);
        _probe.Parse(data[vs..ve], data[ve..Index(headerEnd)]);
        if (_probe.ContentLength is not long cl) return false;
        bool fullHeader = _probe.Has("WARC-Type"u8) && _probe.Has("WARC-Record-ID"u8) && _probe.Has("WARC-Date"u8);
        if (cl > _opt.MaxInMemoryBlock) return fullHeader;
        // Where its block ends: blank lines, then the next record or the end of the data.
        long p = headerEnd + cl;
        Ensure(p, 64);
        _keep = pos;
        if (DataEnd < p) return fullHeader && !_gap && _eof; // a truncated last record
        data = Data; // Ensure may have moved the bytes
        while (p < DataEnd && data[Index(p)] is (byte)'\r' or (byte)'\n' && p - (headerEnd + cl) < 64) p++;
        if (p == DataEnd && !Ensure(p, 1)) return true;
        Ensure(p, 6);
        return IsRecordStart(p) || fullHeader;
    }

    private enum HeaderScan { Found, TooLong, Ended }

    /// <summary>
    /// Finds the empty line ("", "\r" or "\r\r") that ends the header starting at <paramref name="start"/>, line by line
    /// (headers are short, blocks are not): <paramref name="versionEnd"/> is the end of its first line (-1 when none
    /// ended), <paramref name="headerEnd"/> the end of the empty line. It gives up when no line ends within
    /// <paramref name="limit"/> bytes of the start, or when the data ends first.
    /// </summary>
    private HeaderScan ScanHeader(long start, int limit, out long versionEnd, out long headerEnd)
    {
        if (ScanCrlfHeader(start, limit, out versionEnd, out headerEnd)) return HeaderScan.Found;
        long lineStart = start;
        versionEnd = headerEnd = -1;
        while (true)
        {
            int li = Index(lineStart);
            int nl = Data[li..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                if (DataEnd - start > limit) return HeaderScan.TooLong;
                if (!Fill()) return HeaderScan.Ended;
                continue;
            }
            long next = lineStart + nl + 1;
            if (versionEnd < 0) versionEnd = next;
            else if (Data.Slice(li, nl).TrimEnd((byte)'\r').IsEmpty) { headerEnd = next; return HeaderScan.Found; }
            lineStart = next;
        }
    }

    /// <summary>
    /// <see cref="ScanHeader"/>'s fast path, for a header with CRLF line ends already held whole: the first CRLF CRLF
    /// ends it, in one vectorized search rather than a search per line, unless an empty line of another kind ("\n\n",
    /// "\n\r\n", "\n\r\r\n") comes first, which a search for "\n\n" and "\n\r" before it rules out. False when
    /// it cannot tell (the line-by-line scan then does).
    /// </summary>
    private bool ScanCrlfHeader(long start, int limit, out long versionEnd, out long headerEnd)
    {
        versionEnd = headerEnd = -1;
        var data = Data;
        int from = Index(start);
        if (from >= data.Length) return false;
        var head = data[from..(int)Math.Min(data.Length, (long)from + limit)];
        int end = head.IndexOf("\r\n\r\n"u8);
        if (end < 0) return false;
        var lines = head[..(end + 2)]; // through the last field's CRLF
        if (lines.IndexOf("\n\n"u8) >= 0 || lines.IndexOf("\n\r"u8) >= 0) return false;
        versionEnd = start + lines.IndexOf((byte)'\n') + 1;
        headerEnd = start + end + 4;
        return true;
    }

    private bool SkipBlankLines()
    {
        while (true)
        {
            int i = Index(_cursor);
            var data = Data;
            while (i < _end && data[i] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t') i++;
            _cursor = _bufPos + i;
            _keep = _cursor;
            if (i < _end) return true;
            if (!Fill()) return false;
        }
    }

    private bool IsRecordStart(long pos)
    {
        int i = Index(pos);
        var s = Data[i..];
        return s.StartsWith("WARC/"u8) && (s.Length < 6 || char.IsAsciiDigit((char)s[5]));
    }

    /// <summary>Moves the cursor to the next "WARC/" at a line start. False if none before a gap or the end.</summary>
    private bool FindRecordStart()
    {
        long from = _cursor + 1;
        while (true)
        {
            int i = Index(from);
            var s = Data[i..];
            int k = s.IndexOf("\nWARC/"u8);
            if (k >= 0)
            {
                _cursor = from + k + 1;
                _keep = _cursor;
                return true;
            }
            // keep the last 5 bytes in case the marker straddles the refill
            from = Math.Max(from, DataEnd - 5);
            _cursor = from;
            _keep = from;
            if (!Fill())
            {
                _cursor = DataEnd;
                return false;
            }
        }
    }

    /// <summary>Parses the header at the cursor. False when it was not a usable header (the cursor moves past it).</summary>
    private bool ParseHeader()
    {
        _recStart = _cursor;
        Truncated = false;
        var scan = ScanHeader(_recStart, _opt.MaxHeaderBytes, out long versionEnd, out long headerEnd);
        if (scan == HeaderScan.TooLong)
        {
            Warn(_recStart, $"record header longer than {_opt.MaxHeaderBytes} bytes: not a header, skipped");
            _cursor = _recStart + 5;
            return false;
        }
        bool incomplete = scan == HeaderScan.Ended;
        if (incomplete) headerEnd = DataEnd;
        if (versionEnd < 0) versionEnd = headerEnd;
        var data = Data;
        int vs = Index(_recStart), ve = Index(versionEnd);
        Header.Parse(data[vs..ve], data[ve..Index(headerEnd)]);
        Header.Incomplete = incomplete;
        RecordsRead++;
        CompressedOffset = CompressedOffsetOf(_recStart);
        CompressedLength = 0;
        _inRecord = true;
        _blockStart = headerEnd;
        _streamPos = _blockStart;

        if (incomplete)
        {
            if (!_gap) // at a gap the decoder has already reported the damage at this place
                Warn(_recStart, "record header truncated (no empty line before the data ends)");
            Truncated = true;
            _blockLen = 0;
        }
        else if (Header.ContentLength is long cl)
        {
            _blockLen = cl;
            if (cl <= _opt.MaxInMemoryBlock && !EndsAtRecordBoundary(_blockStart + cl))
            {
                // A wrong Content-Length (too short or too long) would swallow the next record or
                // drop part of this one: trust the next WARC/ line instead.
                long end = FindBlockEndWithoutLength();
                Warn(_recStart, $"Content-Length {cl} does not end at a record boundary; the block is taken up to the next record ({end - _blockStart} bytes)");
                _blockLen = end - _blockStart;
            }
        }
        else
        {
            Warn(_recStart, "record has no valid Content-Length; taking the block up to the next WARC/ line");
            _blockLen = FindBlockEndWithoutLength() - _blockStart;
        }
        _blockEnd = _blockStart + _blockLen;
        _cursor = _blockStart;
        return true;
    }

    /// <summary>
    /// True when the declared block end looks right: line ends and then a record (or a gap, or the end
    /// of input) follow, or at least an empty line, after which garbage is reported by the next search.
    /// </summary>
    private bool EndsAtRecordBoundary(long end)
    {
        _keep = _recStart;
        Ensure(_blockStart, end - _blockStart + 16);
        if (DataEnd <= end) return DataEnd == end || !HasRecordStartBefore(DataEnd); // short: truncated, unless a record starts inside
        long p = end;
        int newlines = 0;
        while (true)
        {
            if (p >= DataEnd && !Fill()) return true;
            byte b = Data[Index(p)];
            if (b is not ((byte)'\r' or (byte)'\n')) break;
            if (b == '\n') newlines++;
            if (++p - end > 64) return true;
        }
        Ensure(p, 6);
        return IsRecordStart(p) || newlines >= 2;
    }

    private bool HasRecordStartBefore(long limit)
    {
        int i = Index(_blockStart);
        return Data.Slice(i, (int)(limit - _blockStart)).IndexOf("\nWARC/"u8) >= 0;
    }

    private long FindBlockEndWithoutLength()
    {
        long from = _blockStart;
        while (true)
        {
            int i = Index(from);
            var data = Data;
            int k = data[i..].IndexOf("\nWARC/"u8);
            if (k >= 0)
            {
                long end = from + k + 1;
                // the blank line that separates records is not part of the block
                while (end > _blockStart && data[Index(end - 1)] is (byte)'\r' or (byte)'\n') end--;
                return end;
            }
            from = Math.Max(from, DataEnd - 5);
            if (DataEnd - _recStart > _opt.MaxInMemoryBlock || !Fill()) return DataEnd;
        }
    }

    /// <summary>
    /// The whole block when it fits in memory (the common case). The span is valid until the next call
    /// on this reader. A truncated record gives what is there, with <see cref="Truncated"/> set.
    /// </summary>
    public bool TryGetBlock(out ReadOnlySpan<byte> block)
    {
        if (_blockLen > _opt.MaxInMemoryBlock) { block = default; return false; }
        _keep = _recStart;
        Ensure(_blockStart, _blockLen);
        long have = Math.Min(_blockLen, DataEnd - _blockStart);
        if (have < _blockLen) MarkTruncated(have);
        block = Data.Slice(Index(_blockStart), (int)have);
        return true;
    }

    /// <summary>Streams the block (for blocks too large for <see cref="TryGetBlock"/>). Returns 0 at its end.</summary>
    public int ReadBlock(Span<byte> dest)
    {
        long left = _blockEnd - _streamPos;
        if (left <= 0) return 0;
        _keep = _streamPos;
        if (DataEnd <= _streamPos && !Fill() && DataEnd <= _streamPos)
        {
            MarkTruncated(_streamPos - _blockStart);
            return 0;
        }
        int n = (int)Math.Min(Math.Min(left, dest.Length), DataEnd - _streamPos);
        Data.Slice(Index(_streamPos), n).CopyTo(dest);
        _streamPos += n;
        return n;
    }

    /// <summary>
    /// Flags the record as truncated and warns, unless the data stopped at a gap: the decoder has
    /// then already warned about that place (corrupt or cut unit), and one damage is one warning.
    /// </summary>
    private void MarkTruncated(long have)
    {
        if (Truncated) return;
        Truncated = true;
        if (_gap) return;
        Warn(_recStart, $"record truncated: Content-Length {_blockLen}, but only {have} bytes follow");
    }

    /// <summary>Skips what is left of the block and works out the record's compressed length.</summary>
    public void CompleteRecord()
    {
        if (!_inRecord) return;
        _inRecord = false;
        // Skip the rest of the block.
        _cursor = Math.Max(_cursor, _streamPos);
        while (_cursor < _blockEnd)
        {
            _keep = Math.Min(_recStart, _cursor);
            if (DataEnd >= _blockEnd) { _cursor = _blockEnd; break; }
            _cursor = DataEnd;
            _keep = _cursor;
            if (!Fill()) { MarkTruncated(_cursor - _blockStart); break; }
        }
        long contentEnd = Math.Min(_blockEnd, DataEnd);
        long lastByte = Math.Max(_recStart, (_blockLen > 0 ? contentEnd : _blockStart) - 1);
        _keep = Math.Min(_keep, lastByte);

        // The trailing CRLF CRLF belongs to the record.
        Ensure(_cursor, 4);
        int i = Index(_cursor), stop = Math.Min(_end, i + 4);
        var data = Data;
        while (i < stop && data[i] is (byte)'\r' or (byte)'\n') i++;
        _cursor = _bufPos + i;

        if (_dec.IsIdentity)
        {
            CompressedLength = _cursor - _recStart;
        }
        else
        {
            // In per-record gzip the member ends with the record; if it has not ended yet, one more step tells.
            long end = _units[UnitIndex(lastByte)].CompEnd;
            if (end < 0 && Fill()) end = _units[UnitIndex(lastByte)].CompEnd;
            CompressedLength = end < 0 ? 0 : end - CompressedOffset;
        }
        _keep = _cursor;
    }

    public void Dispose()
    {
        if (_window is null) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
        _dec.Dispose();
    }
}
