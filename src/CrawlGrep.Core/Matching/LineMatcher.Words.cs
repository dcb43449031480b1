using System.Runtime.InteropServices;

namespace CrawlGrep.Core.Matching;

public sealed partial class LineMatcher
{
    /// <summary>
    /// -w word lists (<see cref="PatternSet.Words"/>): each line is cut into runs of ASCII word bytes, and a run equal
    /// to a literal is a match of the literal's patterns when its neighbours are ASCII (they are then non-word). A run
    /// beside a non-ASCII byte may not be a whole word (café): the regex of each pattern it names decides that line.
    /// </summary>
    private void MatchWords(ReadOnlySpan<byte> window, WordTable words, List<LineMatch> output, bool firstPerLine)
    {
        int lineStart = 0;
        while (lineStart < window.Length)
        {
            int nl = window[lineStart..].IndexOf((byte)'\n');
            int lineEnd = nl < 0 ? window.Length : lineStart + nl;
            MatchWordsOnLine(window, lineStart, lineEnd, words, output, firstPerLine);
            lineStart = lineEnd + 1;
        }
    }

    private void MatchWordsOnLine(ReadOnlySpan<byte> window, int lineStart, int lineEnd, WordTable words, List<LineMatch> output, bool firstPerLine)
    {
        var line = window[lineStart..lineEnd];
        int first = output.Count;
        bool stamped = false, handedToRegex = false, ordered = true;
        int lastStart = -1, lastPattern = -1;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && !WordBoundary.IsAsciiWordByte(line[i])) i++;
            int start = i;
            while (i < line.Length && WordBoundary.IsAsciiWordByte(line[i])) i++;
            if (i == start) break;
            var ids = words.Lookup(line[start..i]);
            if (ids.IsEmpty) continue;
            if (!stamped) { NextLineStamp(); stamped = true; }
            bool decided = (start == 0 || line[start - 1] < 0x80) && (i == line.Length || line[i] < 0x80);
            foreach (int id in ids)
                foreach (int p in _set.LiteralOwners[id])
                {
                    bool seen = _lineStamp[p] == _stamp;
                    _lineStamp[p] = _stamp;
                    if (!seen) _takenStart[p] = -1;
                    else if (_regexStamp[p] == _stamp || _takenStart[p] == start) continue; // -i: The and the, one match
                    if (!decided)
                    {
                        _regexStamp[p] = _stamp;
                        handedToRegex |= _takenStart[p] >= 0;
                        _touched.Add(p);
                        continue;
                    }
                    _takenStart[p] = start;
                    if (start == lastStart && p < lastPattern) ordered = false; // -i: several spellings, owners in two lists
                    (lastStart, lastPattern) = (start, p);
                    output.Add(new LineMatch(p, lineStart + start, i - start, lineStart, lineEnd));
                    if (firstPerLine && _touched.Count == 0) return;
                }
        }
        if (handedToRegex) DropRegexPatternMatches(output, first);
        foreach (int p in _touched) MatchLine(window, lineStart, lineEnd, _set.Patterns[p], output);
        if (_touched.Count > 0) ordered = false;
        _touched.Clear();
        if (ordered) return;
        if (output.Count - first > 1) CollectionsMarshal.AsSpan(output)[first..].Sort(default(ByStartThenPattern));
        // This line's matches are output[first..], sorted: the first stands for the line.
        if (firstPerLine && output.Count - first > 1) output.RemoveRange(first + 1, output.Count - first - 1);
    }
}
