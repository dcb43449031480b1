using System.Text.RegularExpressions;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// All patterns of a scan (-e, -f, or the positional one), compiled once and shared by all workers:
/// each pattern's regex, and one literal searcher over the required literals of all of them (one
/// literal: a vectorized search; a few: Teddy; thousands: Aho-Corasick).
/// </summary>
public sealed class PatternSet
{
    /// <summary>Up to this many patterns are compiled to IL; beyond, they are interpreted.</summary>
    public const int CompileLimit = 64;

    public PatternSet(IReadOnlyList<string> patterns, MatchOptions options)
    {
        if (patterns.Count == 0) throw new ArgumentException("no pattern given");
        Options = options;
        var list = new List<CompiledPattern>(patterns.Count);
        for (int i = 0; i < patterns.Count; i++)
        {
            try { list.Add(new CompiledPattern(i, patterns[i], options, compile: patterns.Count <= CompileLimit)); }
            catch (RegexParseException e) { throw new PatternException(patterns[i], e.Message); }
        }
        Patterns = list;
        Unfiltered = list.Where(p => p.Literals is null).ToArray();

        // One searcher for every literal of every filtered pattern; equal literals share an id.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var literals = new List<byte[]>();
        var owners = new List<List<int>>();
        foreach (var p in list)
        {
            if (p.Literals is null) continue;
            foreach (var lit in p.Literals)
            {
                string key = Convert.ToBase64String(lit);
                if (!ids.TryGetValue(key, out int id))
                {
                    id = literals.Count;
                    ids[key] = id;
                    literals.Add(lit);
                    owners.Add([]);
                }
                if (!owners[id].Contains(p.Index)) owners[id].Add(p.Index);
            }
        }
        if (literals.Count > 0)
        {
            // One searcher for all: it folds case when any pattern does, and the others' regexes confirm.
            bool foldCase = list.Any(p => p.Literals is not null && p.FoldsCase);
            if (foldCase)
                foreach (var p in list.Where(p => !p.FoldsCase)) p.ConfirmByRegex();
            Searcher = LiteralSearcherFactory.Create(literals, foldCase);
            LiteralOwners = owners.Select(o => o.ToArray()).ToArray();
            LiteralRanks = LiteralOwners.Select((o, id) => o.Select(p => RankOf(list[p], literals[id])).ToArray()).ToArray();
            if (list.All(p => p.WordBounded) && literals.All(l => WordTable.Accepts(l)))
                Words = new WordTable(literals, foldCase);
        }
    }

    public MatchOptions Options { get; }
    public IReadOnlyList<CompiledPattern> Patterns { get; }
    /// <summary>Patterns with no required literal: their regex runs on every line.</summary>
    public IReadOnlyList<CompiledPattern> Unfiltered { get; }
    /// <summary>Finds the lines worth confirming; null when no pattern has a literal.</summary>
    public ILiteralSearcher? Searcher { get; }
    /// <summary>For each literal id, the patterns that require it.</summary>
    public int[][] LiteralOwners { get; } = [];
    /// <summary>
    /// Beside <see cref="LiteralOwners"/>: where the literal stands among its owner's <see cref="CompiledPattern.Alternatives"/>
    /// (the first alternative that occurs at a position is the match there); 0 for an owner that is not literal-only.
    /// </summary>
    public int[][] LiteralRanks { get; } = [];
    /// <summary>
    /// -w with every pattern literal-only and every literal ASCII word bytes: the literals by whole word, which
    /// matches them without the <see cref="Searcher"/> (same literal ids). Null otherwise.
    /// </summary>
    public WordTable? Words { get; }

    private static int RankOf(CompiledPattern p, byte[] literal)
    {
        if (p.Alternatives is not { } alternatives) return 0;
        for (int i = 0; i < alternatives.Count; i++)
            if (alternatives[i].AsSpan().SequenceEqual(literal)) return i;
        return 0;
    }
}

/// <summary>A pattern that does not compile: the message names it.</summary>
public sealed class PatternException(string pattern, string reason) : Exception($"invalid pattern '{pattern}': {reason}")
{
    public string Pattern { get; } = pattern;
}
