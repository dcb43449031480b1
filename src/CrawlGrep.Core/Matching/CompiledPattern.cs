using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>One user pattern, compiled once: the confirming regex and the byte literal that prefilters lines for it.</summary>
public sealed class CompiledPattern
{
    public CompiledPattern(int index, string text, MatchOptions options)
    {
        Index = index;
        Text = text;
        string core = options.FixedStrings ? Regex.Escape(text) : text;
        if (options.WordRegexp) core = $@"(?<!\w)(?:{core})(?!\w)";
        var ro = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        if (options.IgnoreCase) ro |= RegexOptions.IgnoreCase;
        Regex = RegexCache.Get(core, ro, options.RegexTimeout);

        string? literal = options.FixedStrings
            ? (options.IgnoreCase ? LongestCaseSafeRun(text) : text)
            : LiteralExtractor.RequiredLiteral(text, options.IgnoreCase);
        if (!string.IsNullOrEmpty(literal) && !literal.Contains('\n'))
        {
            Literal = Encoding.UTF8.GetBytes(literal);
            LiteralIgnoreCase = options.IgnoreCase;
        }
        // -F without -i/-w: the bytes themselves are the whole match, no regex needed.
        IsPlainLiteral = options.FixedStrings && !options.IgnoreCase && !options.WordRegexp && text.Length > 0 && !text.Contains('\n');
    }

    public int Index { get; }
    public string Text { get; }
    public Regex Regex { get; }
    /// <summary>Bytes every match contains (null: every line is a candidate).</summary>
    public byte[]? Literal { get; }
    /// <summary>The literal is ASCII and compared ignoring ASCII case.</summary>
    public bool LiteralIgnoreCase { get; }
    /// <summary>Matches are exactly the occurrences of <see cref="Literal"/>.</summary>
    public bool IsPlainLiteral { get; }

    private static string? LongestCaseSafeRun(string text) => LiteralExtractor.RequiredLiteral(Regex.Escape(text), ignoreCase: true);
}
