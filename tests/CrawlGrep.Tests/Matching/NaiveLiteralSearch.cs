using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

/// <summary>The obviously-correct reference the fast searchers are checked against: try every literal at every offset.</summary>
public static class NaiveLiteralSearch
{
    public static List<LiteralHit> FindAll(ReadOnlySpan<byte> hay, IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
    {
        var hits = new List<LiteralHit>();
        for (int i = 0; i < hay.Length; i++)
            for (int id = 0; id < literals.Count; id++)
                if (MatchesAt(hay, i, literals[id], ignoreAsciiCase)) hits.Add(new LiteralHit(id, i));
        return hits;
    }

    public static bool MatchesAt(ReadOnlySpan<byte> hay, int at, byte[] literal, bool ignoreAsciiCase)
    {
        if (at + literal.Length > hay.Length) return false;
        var window = hay.Slice(at, literal.Length);
        return ignoreAsciiCase ? Ascii.EqualsIgnoreCase(window, literal) || FoldedEquals(window, literal) : window.SequenceEqual(literal);
    }

    // Ascii.EqualsIgnoreCase rejects non-ASCII bytes; those must then be equal exactly.
    private static bool FoldedEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            byte x = a[i], y = b[i];
            if (x == y) continue;
            if ((uint)((x | 0x20) - 'a') <= 'z' - 'a' && (x | 0x20) == (y | 0x20)) continue;
            return false;
        }
        return true;
    }

    /// <summary>Checks the contract of <see cref="ILiteralSearcher.Find"/> against the full list of occurrences.</summary>
    public static bool IsValidFind(int found, List<LiteralHit> all, IReadOnlyList<byte[]> literals)
    {
        if (all.Count == 0) return found == -1;
        if (found < 0) return false;
        var at = all.Where(h => h.Start == found).ToList();
        if (at.Count == 0) return false;
        // no occurrence lies entirely before the one found
        return !all.Any(h => h.Start + literals[h.Literal].Length <= found);
    }
}
