using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>One user pattern, compiled once: the confirming regex and the literals that prefilter lines for it.</summary>
public sealed class CompiledPattern
{
    private readonly string _regexText;
    private readonly RegexOptions _regexOptions;
    private readonly TimeSpan _timeout;
    private Regex? _fallback;
    private Regex? _regex;

    /// <param name="compile">Compile the regex to IL (worth it for a few patterns, not for thousands).</param>
    public CompiledPattern(int index, string text, MatchOptions options, bool compile = true)
    {
        Index = index;
        Text = text;
        string core = options.FixedStrings ? Regex.Escape(text) : text;
        if (options.WordRegexp) core = $@"(?<!\w)(?:{core})(?!\w)";
        _regexOptions = RegexOptions.CultureInvariant | (options.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        _timeout = options.RegexTimeout;
        _compile = compile;
        // Parse now, so a bad pattern is reported before the scan; build the matcher when first needed
        // (a plain literal never needs it: 10,000 -F terms must not cost 10,000 compilations).
        // An escaped literal always parses, and has nothing to rewrite: an astral character in it is never quantified.
        _regexText = options.FixedStrings ? core : CodePointPattern(core, _regexOptions);
        MayMatchAtTextEnd = _regexText.Contains('$') || _regexText.Contains(@"\Z", StringComparison.Ordinal) || _regexText.Contains(@"\z", StringComparison.Ordinal);

        string rest = text;
        bool inlineIgnoreCase = !options.FixedStrings && PatternAnalyzer.StartsIgnoringCase(text, out rest);
        FoldsCase = options.IgnoreCase || inlineIgnoreCase;
        var literals = PatternAnalyzer.RequiredLiterals(options.FixedStrings ? Regex.Escape(text) : inlineIgnoreCase ? rest : text, FoldsCase);
        if (literals is not null && literals.All(l => !l.Contains('\n')))
            Literals = literals.Select(Encoding.UTF8.GetBytes).ToArray();
        // -F, or a regex without any syntax (crawlgrep 'lorem ipsum'), and no -w: the literal's occurrences are the
        // matches, no regex needed. Under -i only when ASCII case folding is the whole story: ASCII text without k or
        // s (their case classes hold K and ſ).
        bool literalText = options.FixedStrings || text.AsSpan().IndexOfAny(RegexSyntax) < 0;
        IsPlainLiteral = literalText && !options.WordRegexp && text.Length > 0 && !text.Contains('\n')
            && Literals is [var only] && only.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text))
            && (!options.IgnoreCase || FoldsLikeAscii(text));
        // Likewise an alternation of such literals ('coffee|bread'), and either under -w: the occurrences, taken
        // leftmost-first and checked for word edges, are the matches.
        Alternatives = LiteralAlternatives(text, options, Literals);
        WordBounded = Alternatives is not null && options.WordRegexp;
    }

    /// <summary>The pattern's alternatives when each is a literal the searcher finds as the regex would match it, else null.</summary>
    private static byte[][]? LiteralAlternatives(string text, MatchOptions options, IReadOnlyList<byte[]>? literals)
    {
        if (literals is null || text.Length == 0 || text.Contains('\n')) return null;
        string[] pieces;
        if (options.FixedStrings) pieces = [text];
        else if (text.AsSpan().IndexOfAny(RegexSyntaxButBar) < 0) pieces = text.Split('|');
        else return null;
        if (pieces.Any(a => a.Length == 0 || (options.IgnoreCase && !FoldsLikeAscii(a)))) return null;
        var bytes = pieces.Select(Encoding.UTF8.GetBytes).ToArray();
        // The searcher looks for the required literals: they must be these alternatives, no more, no less.
        var required = literals.Select(Convert.ToBase64String).ToHashSet();
        return required.SetEquals(bytes.Select(Convert.ToBase64String)) ? bytes : null;
    }

    /// <summary>
    /// The pattern rewritten to match code points, not UTF-16 units (see <see cref="CodePointRewriter"/>), after
    /// checking its syntax. The rewrite also makes valid what .NET alone rejects, such as the range [😀-🙏].
    /// </summary>
    private static string CodePointPattern(string pattern, RegexOptions options)
    {
        string rewritten = CodePointRewriter.Rewrite(pattern, options);
        if (!ReferenceEquals(rewritten, pattern))
        {
            try
            {
                RegexParser.Validate(rewritten, options);
                return rewritten;
            }
            catch (RegexParseException)
            {
                // Report the error in the pattern as written; should it parse, the rewrite was at fault,
                // and the pattern keeps .NET's UTF-16 reading rather than failing.
            }
        }
        RegexParser.Validate(pattern, options);
        return pattern;
    }

    /// <summary>Characters that make a pattern more than its own text (whitespace and # only matter under (?x), which needs a '(').</summary>
    private static readonly System.Buffers.SearchValues<char> RegexSyntax = System.Buffers.SearchValues.Create(@"\^$.|?*+()[]{}");
    private static readonly System.Buffers.SearchValues<char> RegexSyntaxButBar = System.Buffers.SearchValues.Create(@"\^$.?*+()[]{}");

    private static bool FoldsLikeAscii(string text) =>
        text.All(c => char.IsAscii(c) && c is not ('k' or 'K' or 's' or 'S'));

    public int Index { get; }
    public string Text { get; }
    private readonly bool _compile;

    /// <summary>The backtracking regex, or the non-backtracking one once this pattern has timed out.</summary>
    public Regex Regex => _regex ??= RegexCache.Get(_regexText, _regexOptions | (_compile ? RegexOptions.Compiled : RegexOptions.None), _timeout);
    /// <summary>At least one of these occurs in every match (null: every line is a candidate).</summary>
    public IReadOnlyList<byte[]>? Literals { get; }
    /// <summary>
    /// Whether the regex may hold an end anchor ($, \Z, \z), which would match at the end of a line cut short
    /// before invalid UTF-8, where ripgrep's could not. Read once from the pattern, conservatively.
    /// </summary>
    public bool MayMatchAtTextEnd { get; }

    /// <summary>Matches are exactly the non-overlapping occurrences of the single literal.</summary>
    public bool IsPlainLiteral { get; private set; }
    /// <summary>
    /// The literal alternatives, in the order the regex prefers them, when they make the matches with no regex:
    /// at each position the first alternative that occurs there (with word edges under -w), non-overlapping.
    /// Null when the regex must confirm.
    /// </summary>
    public IReadOnlyList<byte[]>? Alternatives { get; private set; }
    /// <summary>Matches need the literal searcher's occurrences only (and a word-edge check when <see cref="WordBounded"/>).</summary>
    public bool IsLiteralOnly => Alternatives is not null;
    /// <summary>-w on a literal-only pattern: an occurrence is a match when no word character touches it.</summary>
    public bool WordBounded { get; private set; }
    /// <summary>Case-insensitive: under -i, or opening with <c>(?i)</c>. Its literals are then found folding ASCII case.</summary>
    public bool FoldsCase { get; }

    /// <summary>
    /// Makes the regex confirm every match: for a case-sensitive literal among case-insensitive patterns, whose one
    /// searcher then folds case for all of them, so an occurrence it reports need not be a match.
    /// </summary>
    internal void ConfirmByRegex()
    {
        IsPlainLiteral = false;
        Alternatives = null;
        WordBounded = false;
    }
    /// <summary>True once the pattern has moved to the non-backtracking engine.</summary>
    public bool UsesFallback => _fallback is not null && ReferenceEquals(Regex, _fallback);

    /// <summary>
    /// After a timeout: the same pattern on .NET's non-backtracking engine, which runs in linear time.
    /// Null when the pattern uses constructs it lacks (backreferences, lookarounds, atomic groups).
    /// </summary>
    internal Regex? SwitchToNonBacktracking()
    {
        if (_fallback is not null) return _fallback;
        try
        {
            _fallback = new Regex(_regexText, _regexOptions | RegexOptions.NonBacktracking, _timeout);
        }
        catch (NotSupportedException) { return null; }
        _regex = _fallback;
        return _fallback;
    }
}
