namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>Picks the searcher for a literal set by its size, as Hyperscan picks its literal matchers.</summary>
public static class LiteralSearcherFactory
{
    /// <summary>Sets up to this size use Teddy; larger ones an Aho-Corasick automaton.</summary>
    public const int TeddyLimit = 64;

    public static ILiteralSearcher Create(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase) => literals.Count switch
    {
        0 => throw new ArgumentException("no literals", nameof(literals)),
        1 => new SingleLiteralSearcher(literals[0], ignoreAsciiCase),
        <= TeddyLimit => new TeddySearcher(literals, ignoreAsciiCase),
        _ => new AhoCorasickSearcher(literals, ignoreAsciiCase),
    };
}
