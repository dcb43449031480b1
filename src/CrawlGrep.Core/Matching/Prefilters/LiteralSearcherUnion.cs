namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Several searchers over parts of one literal list, searched as one: each part reports its own ids, which
/// are mapped back to the ids of the whole list. <see cref="FindAll"/> runs every part over the haystack.
/// <see cref="Find"/> takes the leftmost of the parts' answers, and once one part has answered, searches the
/// next only as far as an occurrence starting before that answer could reach.
/// </summary>
public sealed class LiteralSearcherUnion : ILiteralSearcher
{
    private readonly (ILiteralSearcher Searcher, int[] Ids, int Longest)[] _parts;

    /// <param name="literals">The whole list.</param>
    /// <param name="ignoreAsciiCase">As every part.</param>
    /// <param name="parts">Searchers of parts of the list, each with the id in the whole list of each of its literals; every literal in exactly one part.</param>
    public LiteralSearcherUnion(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase, IReadOnlyList<(ILiteralSearcher Searcher, int[] Ids)> parts)
    {
        ArgumentNullException.ThrowIfNull(literals);
        ArgumentNullException.ThrowIfNull(parts);
        var covered = new bool[literals.Count];
        foreach (var (searcher, ids) in parts)
        {
            if (searcher.IgnoreAsciiCase != ignoreAsciiCase) throw new ArgumentException("Every part must fold case alike.", nameof(parts));
            if (ids.Length != searcher.Literals.Count) throw new ArgumentException("Every literal of a part needs an id.", nameof(parts));
            for (int i = 0; i < ids.Length; i++)
                if ((uint)ids[i] >= (uint)literals.Count || !literals[ids[i]].AsSpan().SequenceEqual(searcher.Literals[i]))
                    throw new ArgumentException("A part's id does not name its literal.", nameof(parts));
            foreach (int id in ids)
            {
                if (covered[id]) throw new ArgumentException($"Literal {id} is in two parts.", nameof(parts));
                covered[id] = true;
            }
        }
        if (Array.IndexOf(covered, false) is var missing and >= 0) throw new ArgumentException($"Literal {missing} is in no part.", nameof(parts));
        Literals = literals.Select(l => (byte[])l.Clone()).ToArray();
        IgnoreAsciiCase = ignoreAsciiCase;
        _parts = parts.Select(p => (p.Searcher, (int[])p.Ids.Clone(), p.Searcher.Literals.Max(l => l.Length))).ToArray();
    }

    public IReadOnlyList<byte[]> Literals { get; }

    public bool IgnoreAsciiCase { get; }

    public int Find(ReadOnlySpan<byte> haystack)
    {
        int best = -1;
        foreach (var (searcher, _, longest) in _parts)
        {
            // An occurrence starting before best ends before best + longest.
            var region = best < 0 ? haystack : haystack[..(int)Math.Min(haystack.Length, (long)best + longest - 1)];
            int found = searcher.Find(region);
            if (found >= 0 && (best < 0 || found < best)) best = found;
        }
        return best;
    }

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (searcher, ids, _) in _parts)
        {
            int from = output.Count;
            searcher.FindAll(haystack, output);
            for (int i = from; i < output.Count; i++) output[i] = output[i] with { Literal = ids[output[i].Literal] };
        }
    }
}
