namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// A compiled set of byte literals (none contains '\n'), searched in UTF-8 text. Implementations are
/// chosen by set size: one literal, a small SIMD set (Teddy), a large automaton (Aho-Corasick).
/// Instances are immutable after construction and safe to share between threads.
/// </summary>
public interface ILiteralSearcher
{
    /// <summary>The literals, by id (index).</summary>
    IReadOnlyList<byte[]> Literals { get; }

    /// <summary>Whether ASCII letters match either case (other bytes match exactly).</summary>
    bool IgnoreAsciiCase { get; }

    /// <summary>
    /// The start of an occurrence of some literal in <paramref name="haystack"/> such that no other
    /// occurrence lies entirely before it (the leftmost-starting or the first-ending one), or -1.
    /// </summary>
    int Find(ReadOnlySpan<byte> haystack);

    /// <summary>Every occurrence of every literal (overlapping ones included), in any order.</summary>
    void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output);

    /// <summary>As <see cref="Find(ReadOnlySpan{byte})"/>, and the id of a literal that occurs there (-1 with no occurrence).</summary>
    /// <remarks>This default lists the occurrences in the few bytes a literal can span from the answer.</remarks>
    int Find(ReadOnlySpan<byte> haystack, out int literal)
    {
        literal = -1;
        int at = Find(haystack);
        if (at < 0) return at;
        int longest = 0;
        foreach (var l in Literals) longest = Math.Max(longest, l.Length);
        var hits = t_hits ??= new List<LiteralHit>();
        hits.Clear();
        FindAll(haystack[at..Math.Min(haystack.Length, at + longest)], hits);
        foreach (var hit in hits)
            if (hit.Start == 0 && (literal < 0 || hit.Literal < literal)) literal = hit.Literal;
        return at;
    }

    [ThreadStatic] private static List<LiteralHit>? t_hits;
}

/// <summary>An occurrence of literal <see cref="Literal"/> starting at <see cref="Start"/>.</summary>
public readonly record struct LiteralHit(int Literal, int Start);
