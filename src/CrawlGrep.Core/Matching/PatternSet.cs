using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>All patterns of a scan (-e, -f, or the positional one), compiled once and shared by all workers.</summary>
public sealed class PatternSet
{
    public PatternSet(IReadOnlyList<string> patterns, MatchOptions options)
    {
        if (patterns.Count == 0) throw new ArgumentException("no pattern given");
        Options = options;
        var list = new List<CompiledPattern>(patterns.Count);
        for (int i = 0; i < patterns.Count; i++)
        {
            try { list.Add(new CompiledPattern(i, patterns[i], options)); }
            catch (RegexParseException e) { throw new PatternException(patterns[i], e.Message); }
        }
        Patterns = list;
    }

    public MatchOptions Options { get; }
    public IReadOnlyList<CompiledPattern> Patterns { get; }
}

/// <summary>A pattern that does not compile: the message names it.</summary>
public sealed class PatternException(string pattern, string reason) : Exception($"invalid pattern '{pattern}': {reason}")
{
    public string Pattern { get; } = pattern;
}
