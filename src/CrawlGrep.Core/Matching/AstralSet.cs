using System.Text;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// A set of astral code points (U+10000..U+10FFFF, the ones UTF-16 spells as a surrogate pair), kept
/// as sorted, disjoint, non-adjacent ranges, and written out as a .NET regex over surrogate pairs.
/// </summary>
internal sealed class AstralSet
{
    public const int First = 0x10000;
    public const int Last = 0x10FFFF;

    /// <summary>Flattened ranges: lo0, hi0, lo1, hi1, ... (inclusive).</summary>
    private readonly int[] _bounds;

    private AstralSet(int[] bounds) => _bounds = bounds;

    public static AstralSet Empty { get; } = new([]);
    public static AstralSet All { get; } = new([First, Last]);

    public bool IsEmpty => _bounds.Length == 0;
    public bool IsAll => _bounds is [First, Last];

    /// <summary>The astral part of some code point ranges (inclusive; BMP parts are dropped).</summary>
    public static AstralSet Of(IEnumerable<(int Lo, int Hi)> ranges)
    {
        var clipped = ranges
            .Select(r => (Lo: Math.Max(r.Lo, First), Hi: Math.Min(r.Hi, Last)))
            .Where(r => r.Lo <= r.Hi)
            .OrderBy(r => r.Lo)
            .ToList();
        var bounds = new List<int>(clipped.Count * 2);
        foreach (var (lo, hi) in clipped)
        {
            if (bounds.Count > 0 && lo <= bounds[^1] + 1)
                bounds[^1] = Math.Max(bounds[^1], hi);
            else
            {
                bounds.Add(lo);
                bounds.Add(hi);
            }
        }
        return bounds.Count == 0 ? Empty : new AstralSet(bounds.ToArray());
    }

    public IEnumerable<(int Lo, int Hi)> Ranges
    {
        get
        {
            for (int k = 0; k < _bounds.Length; k += 2) yield return (_bounds[k], _bounds[k + 1]);
        }
    }

    public AstralSet Union(AstralSet other) =>
        other.IsEmpty ? this : IsEmpty ? other : Of(Ranges.Concat(other.Ranges));

    public AstralSet Complement()
    {
        var gaps = new List<(int, int)>();
        int next = First;
        foreach (var (lo, hi) in Ranges)
        {
            if (lo > next) gaps.Add((next, lo - 1));
            next = hi + 1;
        }
        if (next <= Last) gaps.Add((next, Last));
        return Of(gaps);
    }

    /// <summary>
    /// Appends an alternation (no enclosing group) matching exactly the surrogate pairs of this set, one
    /// branch per run of high surrogates that share the same low-surrogate class: <c>\uD83D[\uDE00-\uDE4F]</c>.
    /// Branches start with disjoint high surrogates, so their order does not matter. The set must not be empty.
    /// </summary>
    public void AppendPairs(StringBuilder sb)
    {
        if (IsEmpty) throw new InvalidOperationException("an empty set has no pattern");
        // Per high surrogate (0..1023 above 0xD800), its low surrogates as ranges of offsets 0..1023.
        var lows = new List<(int Lo, int Hi)>?[1024];
        foreach (var (lo, hi) in Ranges)
        {
            for (int high = (lo - First) >> 10; high <= (hi - First) >> 10; high++)
            {
                int start = First + (high << 10);
                (lows[high] ??= []).Add((Math.Max(lo, start) - start, Math.Min(hi, start + 0x3FF) - start));
            }
        }
        bool firstBranch = true;
        for (int high = 0; high < lows.Length; high++)
        {
            if (lows[high] is not { } own) continue;
            int end = high;
            while (end + 1 < lows.Length && lows[end + 1] is { } next && next.SequenceEqual(own)) end++;
            if (!firstBranch) sb.Append('|');
            firstBranch = false;
            AppendUnitClass(sb, [(0xD800 + high, 0xD800 + end)]);
            AppendUnitClass(sb, own.Select(r => (0xDC00 + r.Lo, 0xDC00 + r.Hi)).ToList());
            high = end;
        }
    }

    /// <summary>One UTF-16 unit from the given ranges: <c>\uXXXX</c> alone, else a class.</summary>
    private static void AppendUnitClass(StringBuilder sb, List<(int Lo, int Hi)> ranges)
    {
        if (ranges is [var only] && only.Lo == only.Hi)
        {
            AppendUnit(sb, only.Lo);
            return;
        }
        sb.Append('[');
        foreach (var (lo, hi) in ranges)
        {
            AppendUnit(sb, lo);
            if (hi == lo) continue;
            if (hi > lo + 1) sb.Append('-');
            AppendUnit(sb, hi);
        }
        sb.Append(']');
    }

    public static void AppendUnit(StringBuilder sb, int unit) => sb.Append(@"\u").Append(unit.ToString("X4"));
}
