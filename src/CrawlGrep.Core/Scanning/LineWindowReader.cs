using System.Buffers;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// Streams a block too large to hold in windows that end on line boundaries, so memory stays bounded and every line is
/// matched whole. A line longer than a window is matched in pieces that overlap by <see cref="LineOverlap"/> bytes, and
/// <see cref="KeepOwnPieceMatches"/> reports each of its matches once. One per scanner; its window is pooled for the
/// length of one record (such records are rare).
/// </summary>
public sealed class LineWindowReader
{
    public const int WindowSize = 8 << 20;
    /// <summary>How much consecutive pieces of a line longer than a window overlap: the longest match always found.</summary>
    public const int LineOverlap = 64 << 10;

    private readonly long[] _reportedUpTo; // per pattern: where its last match in the previous piece of a long line ended
    private WarcReader? _reader;
    private byte[]? _buf;
    private int _start, _filled;  // the window's data is _buf[_start.._filled)
    private int _cut;             // how much of the data the window handed out owns; the rest is carried into the next
    private bool _midLine, _last, _handedOut;
    private long _payloadBase;    // payload offset of the data's first byte
    private long _openLine;       // where the line running into the window began, when the last window ended inside it

    public LineWindowReader(int patternCount) => _reportedUpTo = new long[patternCount];

    /// <summary>Rents the window and fills it with the start of the reader's current block, which it returns.</summary>
    public ReadOnlySpan<byte> Open(WarcReader reader)
    {
        Release();
        _reader = reader;
        _buf = ArrayPool<byte>.Shared.Rent(WindowSize);
        _start = _filled = 0;
        Fill();
        _payloadBase = 0;
        _openLine = -1;
        _handedOut = false;
        Array.Fill(_reportedUpTo, -1);
        return _buf.AsSpan(0, _filled);
    }

    /// <summary>The payload starts this far into the block: after its HTTP head.</summary>
    public void SkipHead(int headLength) => _start = headLength;

    /// <summary>The next window of the payload; false after the last.</summary>
    public bool Next(out PayloadWindow window)
    {
        if (_handedOut)
        {
            if (_last) { window = default; return false; }
            Advance();
        }
        var buf = _buf ?? throw new InvalidOperationException("no block opened");
        var data = buf.AsSpan(_start, _filled - _start);
        _last = _filled < buf.Length;
        _cut = data.Length;
        _midLine = false;
        if (!_last)
        {
            int nl = data.LastIndexOf((byte)'\n');
            if (nl >= 0) _cut = nl + 1;
            else
            {
                // One line longer than the window: it is matched in pieces that overlap by LineOverlap bytes. A match
                // belongs to the piece it starts in, before the overlap, so a match up to LineOverlap long is found
                // whole wherever it lies, and none twice.
                _midLine = true;
                _cut = data.Length - LineOverlap;
            }
        }
        _handedOut = true;
        window = new PayloadWindow(_midLine ? data : data[.._cut], _payloadBase, _openLine, _cut, _midLine || _openLine >= 0);
        return true;
    }

    /// <summary>Past the window handed out, which has been matched: its unowned tail moves to the front, and the rest refills.</summary>
    private void Advance()
    {
        _openLine = _midLine ? (_openLine >= 0 ? _openLine : _payloadBase) : -1;
        _payloadBase += _cut;
        var buf = _buf!;
        var data = buf.AsSpan(_start, _filled - _start);
        data[_cut..].CopyTo(buf);
        _filled = data.Length - _cut;
        _start = 0;
        Fill();
    }

    private void Fill()
    {
        var buf = _buf!;
        while (_filled < buf.Length) { int n = _reader!.ReadBlock(buf.AsSpan(_filled)); if (n == 0) break; _filled += n; }
    }

    /// <summary>
    /// Of the matches in a piece of an over-long line: those starting in the part the piece owns (later ones are the
    /// next piece's), and none starting inside a match of the same pattern the previous piece reported.
    /// </summary>
    public void KeepOwnPieceMatches(List<LineMatch> matches, scoped in PayloadWindow window)
    {
        int report = window.Owned;
        long payloadBase = window.Offset;
        int kept = 0;
        for (int i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            if (m.Start >= report || payloadBase + m.Start < _reportedUpTo[m.Pattern]) continue;
            matches[kept++] = m;
        }
        matches.RemoveRange(kept, matches.Count - kept);
        foreach (var m in matches) _reportedUpTo[m.Pattern] = Math.Max(_reportedUpTo[m.Pattern], payloadBase + m.Start + m.Length);
    }

    /// <summary>Returns the window to the pool, once the record's payload has been matched.</summary>
    public void Release()
    {
        if (_buf is null) return;
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = null;
        _reader = null;
    }
}
