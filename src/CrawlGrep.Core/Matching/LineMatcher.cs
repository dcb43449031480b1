using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// Matches a pattern set against a window of whole lines with grep's semantics: a match lies within
/// one line. A line is decoded and handed to a regex only when the pattern's literal occurs in it.
/// One instance per worker thread (it owns a scratch char buffer).
/// </summary>
public sealed class LineMatcher : IDisposable
{
    private readonly PatternSet _set;
    private char[] _chars = ArrayPool<char>.Shared.Rent(16 * 1024);
    private readonly Comparison<LineMatch> _order = (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Pattern.CompareTo(b.Pattern);

    public LineMatcher(PatternSet set) => _set = set;

    /// <summary>Lines abandoned because a regex ran past its timeout.</summary>
    public long Timeouts { get; private set; }
    public string? LastTimeoutPattern { get; private set; }

    /// <summary>Finds all matches in <paramref name="window"/> (ordered by offset, then pattern) into <paramref name="output"/>.</summary>
    public void Match(ReadOnlySpan<byte> window, List<LineMatch> output)
    {
        output.Clear();
        foreach (var p in _set.Patterns)
        {
            if (p.IsPlainLiteral) MatchPlainLiteral(window, p, output);
            else if (p.Literal is not null) MatchPrefiltered(window, p, output);
            else MatchEveryLine(window, p, output);
        }
        if (_set.Patterns.Count > 1 && output.Count > 1) output.Sort(_order);
    }

    private static void MatchPlainLiteral(ReadOnlySpan<byte> window, CompiledPattern p, List<LineMatch> output)
    {
        ReadOnlySpan<byte> lit = p.Literal;
        int pos = 0, lineStart = 0, lineEnd = -1; // lineEnd: index of the current line's newline
        while (pos <= window.Length - lit.Length)
        {
            int k = window[pos..].IndexOf(lit);
            if (k < 0) return;
            int start = pos + k;
            if (start > lineEnd) // a new line: find its bounds, searching back no further than the last one
            {
                int from = lineEnd + 1;
                int nlBack = window[from..start].LastIndexOf((byte)'\n');
                lineStart = nlBack >= 0 ? from + nlBack + 1 : from;
                int nl = window[start..].IndexOf((byte)'\n');
                lineEnd = nl < 0 ? window.Length : start + nl;
            }
            output.Add(new LineMatch(p.Index, start, lit.Length, lineStart, lineEnd));
            pos = start + lit.Length;
        }
    }

    private void MatchPrefiltered(ReadOnlySpan<byte> window, CompiledPattern p, List<LineMatch> output)
    {
        ReadOnlySpan<byte> lit = p.Literal;
        int pos = 0;
        while (pos < window.Length)
        {
            var rest = window[pos..];
            int k = p.LiteralIgnoreCase ? ByteSearch.IndexOfIgnoreAsciiCase(rest, lit) : rest.IndexOf(lit);
            if (k < 0) return;
            int cand = pos + k;
            int ls = window[pos..cand].LastIndexOf((byte)'\n');
            int lineStart = ls < 0 ? pos : pos + ls + 1;
            int nl = window[cand..].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? window.Length : cand + nl;
            MatchLine(window, lineStart, lineEnd, p, output);
            pos = lineEnd + 1;
        }
    }

    private void MatchEveryLine(ReadOnlySpan<byte> window, CompiledPattern p, List<LineMatch> output)
    {
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
        if (_chars.Length < line.Length)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(line.Length);
        }
        int n = Encoding.UTF8.GetChars(line, _chars);
        ReadOnlySpan<char> text = _chars.AsSpan(0, n);
        bool ascii = n == line.Length;
        int firstAdded = output.Count;
        int charPos = 0, bytePos = 0; // incremental char -> byte mapping: matches come in order
        bool nonEmpty = false, empty = false;
        try
        {
            foreach (var m in p.Regex.EnumerateMatches(text))
            {
                // A line with only empty matches (e.g. "x*") is still a matching line: keep one of them.
                if (m.Length == 0 && (nonEmpty || empty)) continue;
                if (m.Length > 0 && empty) { output.RemoveAt(output.Count - 1); empty = false; }
                if (m.Length == 0) empty = true; else nonEmpty = true;
                int bs = ascii ? m.Index : Advance(line, ref charPos, ref bytePos, m.Index);
                int be = ascii ? m.Index + m.Length : Advance(line, ref charPos, ref bytePos, m.Index + m.Length);
                output.Add(new LineMatch(p.Index, lineStart + bs, be - bs, lineStart, lineEnd));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            Timeouts++;
            LastTimeoutPattern = p.Text;
            output.RemoveRange(firstAdded, output.Count - firstAdded);
        }
    }

    /// <summary>Walks UTF-8 from (charPos, bytePos) to the byte offset of UTF-16 index <paramref name="target"/>.</summary>
    private static int Advance(ReadOnlySpan<byte> line, ref int charPos, ref int bytePos, int target)
    {
        while (charPos < target && bytePos < line.Length)
        {
            System.Text.Rune.DecodeFromUtf8(line[bytePos..], out var rune, out int consumed);
            bytePos += consumed;
            charPos += rune.Utf16SequenceLength;
        }
        return bytePos;
    }

    public void Dispose() => ArrayPool<char>.Shared.Return(_chars);
}
