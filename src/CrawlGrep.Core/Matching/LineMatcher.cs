using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// Matches a pattern set against a window of whole lines with grep's semantics: a match lies within
/// one line. The literal searcher finds candidate lines; only those are decoded and given to the
/// regexes of the patterns whose literals occur in them. One instance per worker thread.
/// </summary>
public sealed partial class LineMatcher : IDisposable
{
    /// <summary>Bytes of whole lines whose literal occurrences are listed in one pass.</summary>
    private const int CensusChunk = 64 * 1024;

    private readonly PatternSet _set;
    private char[] _chars = ArrayPool<char>.Shared.Rent(16 * 1024);
    private readonly List<LiteralHit> _lineHits = new();
    // Per pattern: the line stamp it was last seen on, and (literal-only patterns) where its next match may start,
    // the match last taken (start, output index, alternative rank), and the stamp of a line its regex takes over.
    private readonly uint[] _lineStamp;
    private readonly int[] _nextStart;
    private readonly int[] _takenStart, _takenIndex, _takenRank;
    private readonly uint[] _regexStamp;
    private uint _stamp;
    private readonly bool _firstHitDecidesLine, _allLiteralOnly;
    private readonly List<int> _touched = new();

    public LineMatcher(PatternSet set)
    {
        _set = set;
        _allLiteralOnly = set.Searcher is not null && set.Patterns.All(p => p.IsLiteralOnly);
        _firstHitDecidesLine = _allLiteralOnly && set.Patterns.All(p => !p.WordBounded);
        int n = set.Patterns.Count;
        _lineStamp = new uint[n];
        _nextStart = new int[n];
        _takenStart = new int[n];
        _takenIndex = new int[n];
        _takenRank = new int[n];
        _regexStamp = new uint[n];
    }

    /// <summary>Lines abandoned because a regex ran past its timeout with no linear-time engine to fall back on.</summary>
    public long Timeouts { get; private set; }
    public string? LastTimeoutPattern { get; private set; }
    /// <summary>Patterns this matcher moved to the non-backtracking engine since the last <see cref="TakeReport"/>.</summary>
    public List<string> SwitchedToNonBacktracking { get; } = new();

    /// <summary>One-line reports of timeouts and engine switches since the last call, then forgets them.</summary>
    public IEnumerable<string> TakeReport()
    {
        foreach (var p in SwitchedToNonBacktracking)
            yield return $"pattern '{p}' backtracked past the time limit on a line; it runs on the non-backtracking engine from here on";
        if (Timeouts > 0)
            yield return $"pattern '{LastTimeoutPattern}' timed out on {Timeouts} line(s) and cannot use the non-backtracking engine; those lines were skipped";
        SwitchedToNonBacktracking.Clear();
        Timeouts = 0;
    }

    /// <summary>
    /// Finds all matches in <paramref name="window"/> (ordered by offset, then pattern) into <paramref name="output"/>.
    /// With <paramref name="firstPerLine"/> (grep -c, -l, -q: which lines match is all that is wanted) a matching
    /// line gets one match, and the rest of it is not searched where that can be avoided.
    /// </summary>
    public void Match(ReadOnlySpan<byte> window, List<LineMatch> output, bool firstPerLine = false)
    {
        output.Clear();
        if (_set.Words is { } words)
        {
            MatchWords(window, words, output, firstPerLine);
            return;
        }
        if (firstPerLine && _firstHitDecidesLine)
        {
            FirstLiteralPerLine(window, _set.Searcher!, output);
            return;
        }
        foreach (var p in _set.Unfiltered) MatchEveryLine(window, p, output);
        if (_set.Searcher is { } searcher) MatchCandidateLines(window, searcher, output, firstPerLine);
        // Candidate lines come in order, each sorted; only patterns that run on every line interleave.
        if (output.Count > 1 && (_set.Unfiltered.Count > 1 || (_set.Unfiltered.Count == 1 && _set.Searcher is not null)))
            CollectionsMarshal.AsSpan(output).Sort(default(ByStartThenPattern));
        if (firstPerLine) KeepFirstPerLine(output);
    }

    /// <summary>Literal-only patterns, no -w: the occurrence the searcher finds first on a line decides it; the rest of the line is skipped.</summary>
    private void FirstLiteralPerLine(ReadOnlySpan<byte> window, ILiteralSearcher searcher, List<LineMatch> output)
    {
        int pos = 0;
        while (pos < window.Length)
        {
            int k = searcher.Find(window[pos..], out int literal);
            if (k < 0) return;
            int cand = pos + k;
            int lineStart = LineStart(window, pos, cand), lineEnd = LineEnd(window, cand);
            pos = lineEnd + 1;
            int pattern = _set.LiteralOwners[literal][0], length = searcher.Literals[literal].Length;
            output.Add(new LineMatch(pattern, cand, length, lineStart, lineEnd));
        }
    }

    /// <summary>Where the line holding <paramref name="at"/> starts, looking back no further than <paramref name="from"/> (a line start).</summary>
    private static int LineStart(ReadOnlySpan<byte> text, int from, int at)
    {
        int back = text[from..at].LastIndexOf((byte)'\n');
        return back < 0 ? from : from + back + 1;
    }

    /// <summary>Where the line holding <paramref name="at"/> ends: its '\n', or the end of the text.</summary>
    private static int LineEnd(ReadOnlySpan<byte> text, int at)
    {
        int nl = text[at..].IndexOf((byte)'\n');
        return nl < 0 ? text.Length : at + nl;
    }

    /// <summary>Keeps the first match of each line (the list is in order).</summary>
    private static void KeepFirstPerLine(List<LineMatch> output)
    {
        var all = CollectionsMarshal.AsSpan(output);
        int kept = 0;
        for (int i = 0; i < all.Length; i++)
            if (kept == 0 || all[i].LineStart != all[kept - 1].LineStart) all[kept++] = all[i];
        output.RemoveRange(kept, output.Count - kept);
    }

    private void MatchCandidateLines(ReadOnlySpan<byte> window, ILiteralSearcher searcher, List<LineMatch> output, bool firstPerLine)
    {
        // One regex pattern: the candidate line is all there is to know.
        bool censusNeeded = _set.Patterns.Count > 1 || _set.Patterns[0].IsLiteralOnly;
        int pos = 0;
        while (pos < window.Length)
        {
            int k = searcher.Find(window[pos..]);
            if (k < 0) return;
            int cand = pos + k;
            int lineStart = LineStart(window, pos, cand);
            if (censusNeeded)
            {
                pos = MatchChunkByCensus(window, searcher, lineStart, output, firstPerLine) + 1;
                continue;
            }
            int lineEnd = LineEnd(window, cand);
            MatchLine(window, lineStart, lineEnd, _set.Patterns[0], output);
            pos = lineEnd + 1;
        }
    }

    /// <summary>
    /// Several patterns, or plain literals: from <paramref name="chunkStart"/> (a line start) lists every literal
    /// occurrence of the next <see cref="CensusChunk"/> bytes of whole lines in one pass, then takes them line by line.
    /// Returns where the chunk ends (a '\n' or the window's end).
    /// </summary>
    private int MatchChunkByCensus(ReadOnlySpan<byte> window, ILiteralSearcher searcher, int chunkStart, List<LineMatch> output, bool firstPerLine)
    {
        int chunkEnd = window.Length - chunkStart > CensusChunk ? LineEnd(window, chunkStart + CensusChunk) : window.Length;
        var chunk = window[chunkStart..chunkEnd];
        _lineHits.Clear();
        searcher.FindAll(chunk, _lineHits);
        // By start, then literal: a LiteralHit is (Literal, Start) in 8 bytes, so as a little-endian ulong it sorts so.
        var hits = CollectionsMarshal.AsSpan(_lineHits);
        MemoryMarshal.Cast<LiteralHit, ulong>(hits).Sort();

        int lineStart = 0, lineEnd = -1; // relative to the chunk
        int i = 0;
        while (i < hits.Length)
        {
            int start = hits[i].Start;
            if (start > lineEnd)
            {
                lineStart = LineStart(chunk, lineEnd + 1, start);
                lineEnd = LineEnd(chunk, start);
            }
            int j = i + 1;
            while (j < hits.Length && hits[j].Start < lineEnd) j++;
            MatchLineCensus(window, hits[i..j], chunkStart + lineStart, chunkStart + lineEnd, chunkStart, searcher, output, firstPerLine);
            i = j;
        }
        return chunkEnd;
    }

    /// <summary>
    /// One candidate line and the literal occurrences on it (sorted by start, then literal; <paramref name="hitBase"/> is
    /// where their offsets count from): those of literal-only patterns make their matches as they stand (word edges
    /// checked under -w), and each regex pattern owning one runs on the line. With <paramref name="firstPerLine"/> and
    /// literal-only patterns, the first match taken decides the line.
    /// </summary>
    private void MatchLineCensus(ReadOnlySpan<byte> window, ReadOnlySpan<LiteralHit> hits, int lineStart, int lineEnd, int hitBase,
        ILiteralSearcher searcher, List<LineMatch> output, bool firstPerLine)
    {
        NextLineStamp();
        int first = output.Count;
        bool ordered = true;
        int lastStart = -1, lastPattern = -1;
        var literals = searcher.Literals;
        var line = window[lineStart..lineEnd];
        bool handedToRegex = false; // a pattern whose matches were taken here before its regex took the line over
        foreach (var hit in hits)
        {
            int start = hitBase + hit.Start;
            var owners = _set.LiteralOwners[hit.Literal];
            for (int k = 0; k < owners.Length; k++)
            {
                int p = owners[k];
                var pattern = _set.Patterns[p];
                bool seen = _lineStamp[p] == _stamp;
                _lineStamp[p] = _stamp;
                if (!pattern.IsLiteralOnly)
                {
                    if (!seen) _touched.Add(p); // its regex runs once, below
                    continue;
                }
                if (!seen) _takenStart[p] = _nextStart[p] = -1;
                else if (_regexStamp[p] == _stamp) continue;
                int length = literals[hit.Literal].Length, rank = _set.LiteralRanks[hit.Literal][k];
                // An alternative the pattern prefers to the one taken at this same start replaces it (leftmost-first).
                bool replaces = start == _takenStart[p];
                if (replaces ? rank >= _takenRank[p] : start < _nextStart[p]) continue;
                if (pattern.WordBounded)
                {
                    var edges = WordBoundary.Of(line, start - lineStart, start - lineStart + length);
                    if (edges == WordEdges.Unbounded) continue;
                    if (edges == WordEdges.Undecided)
                    {
                        // A non-ASCII neighbour: the regex decides this pattern's matches on this line.
                        _regexStamp[p] = _stamp;
                        handedToRegex |= _takenStart[p] >= 0;
                        _touched.Add(p);
                        continue;
                    }
                }
                _nextStart[p] = start + length;
                _takenRank[p] = rank;
                if (replaces)
                {
                    output[_takenIndex[p]] = new LineMatch(p, start, length, lineStart, lineEnd);
                    continue;
                }
                if (start == lastStart ? p < lastPattern : start < lastStart) ordered = false;
                lastStart = start;
                lastPattern = p;
                _takenStart[p] = start;
                _takenIndex[p] = output.Count;
                output.Add(new LineMatch(p, start, length, lineStart, lineEnd));
                if (firstPerLine && _allLiteralOnly && _touched.Count == 0) return;
            }
        }
        if (handedToRegex) DropRegexPatternMatches(output, first);
        if (_touched.Count > 0)
        {
            foreach (int p in _touched) MatchLine(window, lineStart, lineEnd, _set.Patterns[p], output);
            _touched.Clear();
            ordered = false;
        }
        if (!ordered && output.Count - first > 1)
            CollectionsMarshal.AsSpan(output)[first..].Sort(default(ByStartThenPattern));
    }

    /// <summary>Removes from <paramref name="output"/>[<paramref name="first"/>..] the matches of patterns whose regex took this line over.</summary>
    private void DropRegexPatternMatches(List<LineMatch> output, int first)
    {
        var all = CollectionsMarshal.AsSpan(output);
        int kept = first;
        for (int i = first; i < all.Length; i++)
            if (_regexStamp[all[i].Pattern] != _stamp) all[kept++] = all[i];
        output.RemoveRange(kept, output.Count - kept);
    }

    /// <summary>A new value for <see cref="_lineStamp"/>: marks which patterns were seen on the current line without clearing.</summary>
    private void NextLineStamp()
    {
        if (++_stamp != 0) return;
        Array.Clear(_lineStamp);
        Array.Clear(_regexStamp);
        _stamp = 1;
    }

    private readonly struct ByStartThenPattern : IComparer<LineMatch>
    {
        public int Compare(LineMatch a, LineMatch b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Pattern.CompareTo(b.Pattern);
    }

    private void MatchEveryLine(ReadOnlySpan<byte> window, CompiledPattern p, List<LineMatch> output)
    {
        if (window.IsEmpty) return; // an empty payload has no lines (as grep sees an empty file)
        int pos = 0;
        while (pos <= window.Length)
        {
            int nl = window[pos..].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? window.Length : pos + nl;
            if (nl < 0 && pos == window.Length && pos > 0) return; // no empty line after a final newline
            MatchLine(window, pos, lineEnd, p, output);
            if (nl < 0) return;
            pos = lineEnd + 1;
        }
    }

    /// <summary>Runs the pattern's regex over one line and adds its matches in byte offsets.</summary>
    private void MatchLine(ReadOnlySpan<byte> window, int lineStart, int lineEnd, CompiledPattern p, List<LineMatch> output)
    {
        var line = window[lineStart..lineEnd];
        bool valid = Utf8.IsValid(line);
        if (_chars.Length < line.Length + 1)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(line.Length + 1);
        }
        int n = valid ? Encoding.UTF8.GetChars(line, _chars) : DecodeWithBarriers(line, _chars);
        ReadOnlySpan<char> text = _chars.AsSpan(0, n);
        bool ascii = valid && n == line.Length; // then char and byte offsets are the same
        int firstAdded = output.Count;
        var regex = p.Regex;
        while (true)
        {
            try
            {
                AddRegexMatches(regex, text, line, ascii, !valid, p.MayMatchAtTextEnd, lineStart, lineEnd, p.Index, output);
                return;
            }
            catch (RegexMatchTimeoutException)
            {
                output.RemoveRange(firstAdded, output.Count - firstAdded);
                // Catastrophic backtracking: run this line, and the pattern from now on, in linear time.
                bool already = p.UsesFallback;
                var fallback = already ? null : p.SwitchToNonBacktracking();
                if (fallback is null)
                {
                    Timeouts++;
                    LastTimeoutPattern = p.Text;
                    return;
                }
                SwitchedToNonBacktracking.Add(p.Text);
                regex = fallback;
            }
        }
    }

    private static void AddRegexMatches(Regex regex, ReadOnlySpan<char> text, ReadOnlySpan<byte> line, bool ascii, bool barriers, bool mayMatchAtTextEnd, int lineStart, int lineEnd, int pattern, List<LineMatch> output)
    {
        var state = new MatchState();
        int length = barriers && text.Length > 0 && text[^1] == EndSentinel ? text.Length - 1 : text.Length;
        int from = 0;
    again:
        foreach (var m in regex.EnumerateMatches(text, from))
        {
            if (barriers && text.Slice(m.Index, m.Length).IndexOf(Barrier) is int b and >= 0)
            {
                // It would match invalid UTF-8, which ripgrep never does: ripgrep's match stops before that byte
                // (`[^ ]+` on "ab<FF>" is "ab"). The same search over the text up to there gives it, unless an end
                // anchor could match there, where ripgrep's could not. Then look again after that byte.
                int cut = m.Index + b;
                if (!mayMatchAtTextEnd)
                    foreach (var t in regex.EnumerateMatches(text[..cut], m.Index))
                        Add(t.Index, t.Length, text, line, ascii, lineStart, lineEnd, pattern, output, ref state);
                from = cut + 1;
                goto again;
            }
            if (m.Index + m.Length > length) continue; // the end sentinel alone
            Add(m.Index, m.Length, text, line, ascii, lineStart, lineEnd, pattern, output, ref state);
        }
    }

    /// <summary>Where a line's matches stand: the incremental char-to-byte mapping (matches come in order), and which kinds were added.</summary>
    private struct MatchState
    {
        public int CharPos, BytePos;
        public bool NonEmpty, Empty;
    }

    private static void Add(int index, int length, ReadOnlySpan<char> text, ReadOnlySpan<byte> line, bool ascii, int lineStart, int lineEnd,
        int pattern, List<LineMatch> output, ref MatchState state)
    {
        // Code point patterns (CodePointRewriter) never start a match on the low half of a pair; one the
        // rewrite left in UTF-16 terms could, and would map to an empty match after its character.
        if (!ascii && index > 0 && index < text.Length && char.IsLowSurrogate(text[index])) return;
        // A line with only empty matches (e.g. "x*") is still a matching line: keep one of them.
        if (length == 0 && (state.NonEmpty || state.Empty)) return;
        if (length > 0 && state.Empty) { output.RemoveAt(output.Count - 1); state.Empty = false; }
        if (length == 0) state.Empty = true; else state.NonEmpty = true;
        int bs = ascii ? index : Advance(line, ref state.CharPos, ref state.BytePos, index);
        int be = ascii ? index + length : Advance(line, ref state.CharPos, ref state.BytePos, index + length);
        output.Add(new LineMatch(pattern, lineStart + bs, be - bs, lineStart, lineEnd));
    }

    /// <summary>Stands for a byte sequence that is not UTF-8: matched by nothing, as in ripgrep.</summary>
    private const char Barrier = '\n';

    /// <summary>
    /// Follows a final <see cref="Barrier"/>, so that '$' does not match before it (in .NET '$' also
    /// matches before a last '\n'); never part of a reported match.
    /// </summary>
    private const char EndSentinel = '\uFFFF';

    /// <summary>
    /// Decodes a line holding invalid UTF-8 (Latin-1, EUC-JP, binary), one char per code point and one
    /// <see cref="Barrier"/> per invalid sequence: a line has no '\n' of its own, so '.', \S, \w and
    /// literals cannot match it, and matches that would cross it are dropped.
    /// </summary>
    private static int DecodeWithBarriers(ReadOnlySpan<byte> line, char[] chars)
    {
        int n = 0, pos = 0;
        while (pos < line.Length)
        {
            var status = Rune.DecodeFromUtf8(line[pos..], out var rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done) n += rune.EncodeToUtf16(chars.AsSpan(n));
            else chars[n++] = Barrier;
            pos += consumed;
        }
        if (n > 0 && chars[n - 1] == Barrier) chars[n++] = EndSentinel;
        return n;
    }

    /// <summary>Walks UTF-8 from (charPos, bytePos) to the byte offset of UTF-16 index <paramref name="target"/>.</summary>
    private static int Advance(ReadOnlySpan<byte> line, ref int charPos, ref int bytePos, int target)
    {
        while (charPos < target && bytePos < line.Length)
        {
            Rune.DecodeFromUtf8(line[bytePos..], out var rune, out int consumed);
            bytePos += consumed;
            charPos += rune.Utf16SequenceLength;
        }
        return bytePos;
    }

    public void Dispose() => ArrayPool<char>.Shared.Return(_chars);
}
