using System.Buffers;
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
public sealed class LineMatcher : IDisposable
{
    private readonly PatternSet _set;
    private char[] _chars = ArrayPool<char>.Shared.Rent(16 * 1024);
    private readonly List<LiteralHit> _lineHits = new();
    private readonly bool[] _present;
    private readonly List<int> _touched = new();
    private readonly Comparison<LineMatch> _order = (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Pattern.CompareTo(b.Pattern);
    private readonly Comparison<LiteralHit> _byStart = (a, b) => a.Start.CompareTo(b.Start);

    public LineMatcher(PatternSet set)
    {
        _set = set;
        _present = new bool[set.Patterns.Count];
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

    /// <summary>Finds all matches in <paramref name="window"/> (ordered by offset, then pattern) into <paramref name="output"/>.</summary>
    public void Match(ReadOnlySpan<byte> window, List<LineMatch> output)
    {
        output.Clear();
        foreach (var p in _set.Unfiltered) MatchEveryLine(window, p, output);
        if (_set.Searcher is { } searcher) MatchCandidateLines(window, searcher, output);
        if (output.Count > 1 && (_set.Patterns.Count > 1)) output.Sort(_order);
    }

    private void MatchCandidateLines(ReadOnlySpan<byte> window, ILiteralSearcher searcher, List<LineMatch> output)
    {
        int pos = 0;
        while (pos < window.Length)
        {
            int k = searcher.Find(window[pos..]);
            if (k < 0) return;
            int cand = pos + k;
            int back = window[pos..cand].LastIndexOf((byte)'\n');
            int lineStart = back < 0 ? pos : pos + back + 1;
            int nl = window[cand..].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? window.Length : cand + nl;
            var line = window[lineStart..lineEnd];
            pos = lineEnd + 1;

            // One regex pattern: the candidate line is all there is to know.
            if (_set.Patterns.Count == 1 && !_set.Patterns[0].IsPlainLiteral)
            {
                MatchLine(window, lineStart, lineEnd, _set.Patterns[0], output);
                continue;
            }

            // Which patterns have a literal on this line?
            _lineHits.Clear();
            searcher.FindAll(line, _lineHits);
            foreach (var hit in _lineHits)
                foreach (int p in _set.LiteralOwners[hit.Literal])
                    if (!_present[p]) { _present[p] = true; _touched.Add(p); }
            foreach (int p in _touched)
            {
                _present[p] = false;
                var pattern = _set.Patterns[p];
                if (pattern.IsPlainLiteral) AddLiteralOccurrences(pattern, _set.PlainLiteralId[p], lineStart, lineEnd, output);
                else MatchLine(window, lineStart, lineEnd, pattern, output);
            }
            _touched.Clear();
        }
    }

    /// <summary>A plain literal's matches on a line: its leftmost non-overlapping occurrences, as grep -o gives them.</summary>
    private void AddLiteralOccurrences(CompiledPattern p, int literalId, int lineStart, int lineEnd, List<LineMatch> output)
    {
        int length = _set.Searcher!.Literals[literalId].Length;
        _lineHits.Sort(_byStart);
        int next = 0;
        foreach (var hit in _lineHits)
        {
            if (hit.Literal != literalId || hit.Start < next) continue;
            output.Add(new LineMatch(p.Index, lineStart + hit.Start, length, lineStart, lineEnd));
            next = hit.Start + length;
        }
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
                AddRegexMatches(regex, text, line, ascii, !valid, lineStart, lineEnd, p.Index, output);
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

    private static void AddRegexMatches(Regex regex, ReadOnlySpan<char> text, ReadOnlySpan<byte> line, bool ascii, bool barriers, int lineStart, int lineEnd, int pattern, List<LineMatch> output)
    {
        int charPos = 0, bytePos = 0; // incremental char -> byte mapping: matches come in order
        bool nonEmpty = false, empty = false;
        int length = barriers && text.Length > 0 && text[^1] == EndSentinel ? text.Length - 1 : text.Length;
        int from = 0;
    again:
        foreach (var m in regex.EnumerateMatches(text, from))
        {
            if (m.Index + m.Length > length) continue; // reaches the end sentinel
            if (barriers && text.Slice(m.Index, m.Length).IndexOf(Barrier) is int b and >= 0)
            {
                // It would match invalid UTF-8, which ripgrep never does: look again after that byte.
                from = m.Index + b + 1;
                goto again;
            }
            // A line with only empty matches (e.g. "x*") is still a matching line: keep one of them.
            if (m.Length == 0 && (nonEmpty || empty)) continue;
            if (m.Length > 0 && empty) { output.RemoveAt(output.Count - 1); empty = false; }
            if (m.Length == 0) empty = true; else nonEmpty = true;
            int bs = ascii ? m.Index : Advance(line, ref charPos, ref bytePos, m.Index);
            int be = ascii ? m.Index + m.Length : Advance(line, ref charPos, ref bytePos, m.Index + m.Length);
            output.Add(new LineMatch(pattern, lineStart + bs, be - bs, lineStart, lineEnd));
        }
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
