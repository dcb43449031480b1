namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Chooses the searcher for a literal set by its size and shape:
/// <list type="bullet">
/// <item>one literal: <see cref="SingleLiteralSearcher"/>;</item>
/// <item>2 to <see cref="TeddySearcher.MaxLiterals"/> literals of 2 bytes or more: <see cref="TeddySearcher"/>;</item>
/// <item>literals of one byte: <see cref="ByteSetSearcher"/>, in a <see cref="LiteralSearcherUnion"/> with the
/// searcher of the longer literals when there are some (a 1-byte fingerprint would make Teddy check for the
/// longer literals at every occurrence of the short ones' first bytes);</item>
/// <item>more than <see cref="TeddySearcher.MaxLiterals"/> literals: the <c>large</c> factory when given.
/// The intended one is the Aho-Corasick automaton, <c>(l, c) =&gt; new AhoCorasickSearcher(l, c)</c>, which
/// should become the default once it is in the tree. Without it, the literals are cut into runs of
/// <see cref="TeddySearcher.MaxLiterals"/> in order, each searched as above, and united: correct, but each
/// run costs a pass over the haystack.</item>
/// </list>
/// Duplicate literals keep their own ids; each is reported. Empty literals are rejected.
/// </summary>
public static class LiteralSearcherFactory
{
    public static ILiteralSearcher Create(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase,
        Func<IReadOnlyList<byte[]>, bool, ILiteralSearcher>? large = null)
    {
        ArgumentNullException.ThrowIfNull(literals);
        if (literals.Count == 0) throw new ArgumentException("At least one literal is required.", nameof(literals));
        for (int i = 0; i < literals.Count; i++)
            if (literals[i] is not { Length: > 0 }) throw new ArgumentException($"Literal {i} is null or empty.", nameof(literals));

        if (literals.Count > TeddySearcher.MaxLiterals)
            return (large ?? ((l, c) => new AhoCorasickSearcher(l, c)))(literals, ignoreAsciiCase);
        return CreateSmall(literals, ignoreAsciiCase);
    }

    private static ILiteralSearcher CreateSmall(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
    {
        if (literals.Count == 1) return new SingleLiteralSearcher(literals[0], ignoreAsciiCase);
        var oneByte = Enumerable.Range(0, literals.Count).Where(i => literals[i].Length == 1).ToArray();
        if (oneByte.Length == 0) return new TeddySearcher(literals, ignoreAsciiCase);
        if (oneByte.Length == literals.Count) return new ByteSetSearcher(literals, ignoreAsciiCase);
        var longer = Enumerable.Range(0, literals.Count).Where(i => literals[i].Length > 1).ToArray();
        return new LiteralSearcherUnion(literals, ignoreAsciiCase,
        [
            (new ByteSetSearcher(oneByte.Select(i => literals[i]).ToArray(), ignoreAsciiCase), oneByte),
            (CreateSmall(longer.Select(i => literals[i]).ToArray(), ignoreAsciiCase), longer),
        ]);
    }
}
