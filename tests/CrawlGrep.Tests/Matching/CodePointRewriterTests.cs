using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Matching;

namespace CrawlGrep.Tests.Matching;

/// <summary>
/// The matcher counts code points, as ripgrep does, on lines with characters outside the BMP (surrogate
/// pairs in .NET's UTF-16). The expected matches are ripgrep's (<c>rg -o</c>) on the same text.
/// </summary>
public class CodePointRewriterTests
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private static List<string> Matches(string flags, string pattern, byte[] text)
    {
        var options = new MatchOptions { FixedStrings = flags.Contains("-F"), IgnoreCase = flags.Contains("-i"), WordRegexp = flags.Contains("-w") };
        using var matcher = new LineMatcher(new PatternSet([pattern], options));
        var output = new List<LineMatch>();
        matcher.Match(text, output);
        return output.Where(m => m.Length > 0).Select(m => Encoding.UTF8.GetString(text, m.Start, m.Length)).ToList();
    }

    [Theory]
    // . is one code point
    [InlineData("", ".", "a😀", new[] { "a", "😀" })]
    [InlineData("", "..", "😀", new string[0])]
    [InlineData("", "^.$", "😀", new[] { "😀" })]
    [InlineData("", ".{3}", "😀a🚀b", new[] { "😀a🚀" })]
    [InlineData("", "a.b", "a🚀b", new[] { "a🚀b" })]
    [InlineData("", @"\s.\s", "x 🚀 y", new[] { " 🚀 " })]
    [InlineData("", ".+?", "😀", new[] { "😀" })]
    [InlineData("", ".{2,}", "😀", new string[0])]
    [InlineData("", ".{2,}", "😀🚀", new[] { "😀🚀" })]
    // loops of units must not stop between two halves, whatever follows
    [InlineData("", ".*", "😀x", new[] { "😀x" })]
    [InlineData("", ".*x", "😀x😀", new[] { "😀x" })]
    [InlineData("", "(.+)(.+)", "😀", new string[0])]
    [InlineData("", "(.+)(.+)", "😀🚀", new[] { "😀🚀" })]
    [InlineData("", ".+.", "😀", new string[0])]
    [InlineData("", "(.*)🚀", "😀🚀", new[] { "😀🚀" })]
    // negated classes and \S \W \D \P{..}: one whole pair, and exact about astral letters and digits (𝒜, 𝟙)
    [InlineData("", "[^a-z]", "a😀b", new[] { "😀" })]
    [InlineData("", "[^a-z]+", "a😀🚀b", new[] { "😀🚀" })]
    [InlineData("", @"[^\x00-\x7F]", "é😀", new[] { "é", "😀" })]
    [InlineData("", "[^🚀]", "🚀😀", new[] { "😀" })]
    [InlineData("", "[^🚀]+", "a😀🚀b", new[] { "a😀", "b" })]
    [InlineData("", "[^😀-🙏 ]+", "a😀b 🚀", new[] { "a", "b", "🚀" })]
    [InlineData("", @"\S+", "hi 😀🚀 x", new[] { "hi", "😀🚀", "x" })]
    [InlineData("", @"\S{2}", "😀🚀a", new[] { "😀🚀" })]
    [InlineData("", @"\W", "a😀", new[] { "😀" })]
    [InlineData("", @"\W+", "a😀🚀𝒜", new[] { "😀🚀" })]
    [InlineData("", @"\D", "1😀𝟙", new[] { "😀" })]
    [InlineData("", @"\P{L}", "a😀𝒜", new[] { "😀" })]
    [InlineData("", @"\P{L}{2}", "😀🚀𝒜", new[] { "😀🚀" })]
    [InlineData("", @"\P{So}", "😀a", new[] { "a" })]
    [InlineData("", @"[^\w]", "a😀", new[] { "😀" })]
    [InlineData("", @"[^\d\s]+", "1 😀x", new[] { "😀x" })]
    [InlineData("", @"[\W\d]+", "a😀1b", new[] { "😀1" })]
    // classes holding astral characters and ranges
    [InlineData("", "[🚀🎉✨]", "😀🚀✨🎉", new[] { "🚀", "✨", "🎉" })]
    [InlineData("", "[😀-🙏]", "😀🙏🚀👍", new[] { "😀", "🙏" })]
    [InlineData("", "[😀-🙏]+", "😀🙂🚀", new[] { "😀🙂" })]
    [InlineData("", "[a🚀-]", "-a🚀😀", new[] { "-", "a", "🚀" })]
    [InlineData("", "[a-😀]", "Z😀😁", new[] { "😀" })]
    [InlineData("", @"[\u0080-\uFFFF]", "é😀", new[] { "é" })]
    [InlineData("", @"\p{Cs}", "😀", new string[0])]
    // a quantifier after an astral character repeats all of it
    [InlineData("", "🚀+", "🚀🚀🚀x🚀", new[] { "🚀🚀🚀", "🚀" })]
    [InlineData("", "🚀{2}", "🚀🚀🚀", new[] { "🚀🚀" })]
    [InlineData("", "a🚀?b", "ab a🚀b", new[] { "ab", "a🚀b" })]
    [InlineData("", @"\uD83D\uDE80+", "🚀🚀", new[] { "🚀🚀" })]
    [InlineData("", "(?:😀|😁){2,}", "😀😁😀x", new[] { "😀😁😀" })]
    [InlineData("", "(🚀|🎉) [a-z]+", "🎉 party", new[] { "🎉 party" })]
    [InlineData("", @"^\S*$", "😀😀", new[] { "😀😀" })]
    // capture numbers and backreferences are kept
    [InlineData("", @"(.)\1", "😀😀a😀", new[] { "😀😀" })]
    [InlineData("", @"(?<c>[^a])\k<c>", "🚀🚀", new[] { "🚀🚀" })]
    // flags
    [InlineData("-i", "[^a-z]", "A😀", new[] { "😀" })]
    [InlineData("-i", "X.Y", "x🚀y", new[] { "x🚀y" })]
    [InlineData("-w", @"\S+", "ab 😀 c", new[] { "ab", "😀", "c" })]
    [InlineData("-F", "🚀.", "🚀. 🚀x", new[] { "🚀." })]
    [InlineData("-F", "🚀+", "🚀+ 🚀🚀", new[] { "🚀+" })]
    public void Matches_code_points(string flags, string pattern, string text, string[] expected)
    {
        Assert.Equal(expected, Matches(flags, pattern, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The linear-time engine a pattern falls back to after a timeout runs the same rewritten text.</summary>
    [Theory]
    [InlineData(".{3}", "😀a🚀b")]
    [InlineData("(.+)(.+)", "😀 🚀😀")]
    [InlineData("[^🚀]+", "a😀🚀b")]
    [InlineData(@"\W+|\P{L}{2}", "a😀🚀𝒜 b")]
    [InlineData("[😀-🙏]+|🚀{2}", "😀🙂🚀🚀🚀")]
    [InlineData(@"\S{2,}", "😀 ab🚀 c")]
    public void The_non_backtracking_engine_agrees(string pattern, string text)
    {
        string rewritten = CodePointRewriter.Rewrite(pattern, Options);
        var backtracking = new Regex(rewritten, Options).Matches(text).Select(m => m.Value);
        var linear = new Regex(rewritten, Options | RegexOptions.NonBacktracking).Matches(text).Select(m => m.Value);
        Assert.Equal(backtracking, linear);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData(@"\w+@\w+\.\w+")]
    [InlineData("[0-9]{3}-[0-9]{4}")]
    [InlineData(@"\p{Lu}\p{Ll}+")]
    [InlineData(@"\bthe\b")]
    [InlineData(@"https?://[a-z0-9.-]+\.(com|org|net)\b")]
    [InlineData("日本語|café")]
    [InlineData("🚀 rocket")]
    [InlineData("[]a]")]
    [InlineData("[a-]")]
    [InlineData(@"[\]]")]
    [InlineData(@"[\w.-]+")]
    [InlineData(@"(?<year>\d{4})-\k<year>")]
    // loops that take every astral character stay loops of UTF-16 units
    [InlineData("\"[^\"]*\"")]
    [InlineData("<[^>]+>")]
    [InlineData(@"\S+ \S+")]
    [InlineData("[^a-z]*x")]
    // not understood: left to .NET
    [InlineData("[a-z-[aeiou]]")]
    [InlineData("(?x) . # free-spacing")]
    [InlineData("(?(1).|[^a])")]
    [InlineData(@"[\uD83D].")]
    [InlineData(@"\🚀.")]
    public void Leaves_other_patterns_as_they_are(string pattern)
    {
        Assert.Same(pattern, CodePointRewriter.Rewrite(pattern, Options));
    }

    [Theory]
    [InlineData(".", @"(?:[^\n\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])")]
    [InlineData("(?s)a.b", @"(?s)a(?:[^\n\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])b")]
    [InlineData("[😀-🙏]", @"(?:\uD83D[\uDE00-\uDE4F])")]
    [InlineData("[a🚀]", @"(?:[a]|\uD83D\uDE80)")]
    [InlineData("🚀+", "(?:🚀)+")]
    [InlineData("[^🚀]", @"(?:[^\uD800-\uDFFF]|[\uD800-\uD83C][\uDC00-\uDFFF]|\uD83D[\uDC00-\uDE7F\uDE81-\uDFFF]|[\uD83E-\uDBFF][\uDC00-\uDFFF])")]
    [InlineData(@"\S", @"(?:[^\s\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])")]
    // greedy loops: units, ending on a whole character where what follows might match between two halves
    [InlineData(".*crawlgrep", @"[^\n]*crawlgrep")]
    [InlineData("(.*)(foo|bar)", @"([^\n]*)(foo|bar)")]
    [InlineData("(.+)(.+)", @"([^\n]*[^\n\uD800-\uDBFF])([^\n]+)")]
    [InlineData(@".*(?=x)", @"(?:[^\n]*[^\n\uD800-\uDBFF])?(?=x)")]
    [InlineData(@"\S{40,}", @"(?:[^\s\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]){39}\S+")]
    [InlineData(@"(?<!\w)(?:a.b)(?!\w)", @"(?<!\w)(?:a(?:[^\n\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])b)(?!\w)")]
    public void Rewrites_as(string pattern, string expected)
    {
        Assert.Equal(expected, CodePointRewriter.Rewrite(pattern, Options));
    }

    [Fact]
    public void Dot_never_takes_invalid_utf8_even_in_single_line_mode()
    {
        byte[] text = [(byte)'a', 0xFF, (byte)'b', (byte)'\n', (byte)'a', 0xF0, 0x9F, 0x9A, 0x80, (byte)'b'];
        Assert.Equal(["a🚀b"], Matches("", "(?s)a.b", text));
    }

    [Fact]
    public void A_range_dotnet_alone_rejects_is_accepted()
    {
        Assert.Throws<RegexParseException>(() => new Regex("[😀-🙏]"));
        _ = new PatternSet(["[😀-🙏]"], new MatchOptions());
        Assert.Throws<PatternException>(() => new PatternSet(["[🙏-😀]"], new MatchOptions()));
    }

    [Fact]
    public void A_pattern_left_in_utf16_terms_still_gives_one_match_per_character()
    {
        // Free-spacing is not rewritten: [^a] matches each half, and the match on the low half is dropped
        // (it would map to an empty match after the character).
        var text = "😀"u8.ToArray();
        using var matcher = new LineMatcher(new PatternSet(["(?x) [^a]"], new MatchOptions()));
        var output = new List<LineMatch>();
        matcher.Match(text, output);
        Assert.Equal([(0, 4)], output.Select(m => (m.Start, m.Length)));
    }
}
