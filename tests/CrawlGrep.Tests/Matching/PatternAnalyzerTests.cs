using System.Text.RegularExpressions;
using CrawlGrep.Core.Matching;

namespace CrawlGrep.Tests.Matching;

public class PatternAnalyzerTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("foo|bar", "bar,foo")]
    [InlineData("(foo|bar)baz", "barbaz,foobaz")]
    [InlineData("colou?r", "color,colour")]
    [InlineData(@"https?://example\.org", "http://example.org,https://example.org")]
    [InlineData(@"[a-z]+@example\.org", "@example.org")]
    [InlineData(@"\d{4}-\d{2}-crawl", "-crawl")]
    [InlineData("ab+c", "ab")]
    [InlineData("x*yz", "yz")]
    [InlineData("(?:alpha|beta)+ gamma", "alpha gamma,beta gamma")]
    [InlineData(@"\bword\b", "word")]
    [InlineData("^start", "start")]
    [InlineData("gr[ae]y", "gray,grey")]
    [InlineData("a{3}b", "aaab")]
    [InlineData(@"\x41\u0042C", "ABC")]
    [InlineData("日本語", "日本語")]
    [InlineData("[🚀🎉]!", "🎉!,🚀!")] // class members are characters, not surrogate halves
    [InlineData("caf(é|e)", "cafe,café")]
    [InlineData("(?<name>tag)s", "tags")]
    [InlineData("(?=look)ahead", "ahead")]
    public void Finds_required_literals(string pattern, string expected)
    {
        var set = PatternAnalyzer.RequiredLiterals(pattern, ignoreCase: false);
        Assert.NotNull(set);
        Assert.Equal(expected, string.Join(",", set!.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("a*")]
    [InlineData("foo|")]
    [InlineData("foo|.*")]
    [InlineData(@"\w+")]
    [InlineData("[^abc]+")]
    [InlineData("(?i)abc")]
    [InlineData("(?x) a b c")]
    [InlineData("x?")]
    [InlineData(@"(a)\1")]
    [InlineData("(?(a)b|c)")]
    public void Gives_nothing_when_nothing_is_certain(string pattern)
    {
        var set = PatternAnalyzer.RequiredLiterals(pattern, ignoreCase: false);
        Assert.True(set is null || pattern == @"(a)\1" && set.SequenceEqual(["a"]), $"{pattern}: {string.Join(",", set ?? [])}");
    }

    [Theory]
    [InlineData("crawlgrep", "crawlgrep", "crawlgrep")]
    [InlineData("kelvin", "elvin", "elvin")]
    [InlineData("Straße", "tra", "tra")]
    [InlineData("mask", "ma", "ma")]   // k and s fold to non-ASCII letters: split around them
    public void Case_insensitive_literals_avoid_letters_with_non_ascii_forms(string pattern, string plain, string folded)
    {
        Assert.Contains(plain, PatternAnalyzer.RequiredLiterals(pattern, false)![0]);
        Assert.Equal(folded, PatternAnalyzer.RequiredLiterals(pattern, true)?.Single());
    }

    [Fact]
    public void Net_case_folding_is_what_the_analyzer_assumes()
    {
        // The letters the analyzer treats as unsafe under -i really do match non-ASCII text in .NET...
        var ci = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        Assert.Matches(new Regex("k", ci), "\u212A");
        // ...and the others it folds as ASCII do not, for every ASCII letter but k and s.
        for (char c = 'a'; c <= 'z'; c++)
        {
            if (c is 'k' or 's') continue;
            var r = new Regex(c.ToString(), ci);
            for (int u = 0x80; u < 0x10000; u++)
            {
                if (char.IsSurrogate((char)u)) continue;
                Assert.False(r.IsMatch(((char)u).ToString()), $"'{c}' matches U+{u:X4} under IgnoreCase");
            }
        }
    }

    [Fact]
    public void Literals_found_are_in_every_match_on_random_text()
    {
        // Soundness: for many patterns and random lines, a line with a match contains a required literal.
        string[] patterns =
        [
            "foo|bar", "(foo|bar)baz", "colou?r", @"[a-z]+@ex\.org", "ab+c", "x*yz", "gr[ae]y", @"\bab\b",
            "a(b|c)d", "(ab|cd)+e", "q(u|v)?x", "(a|b)(c|d)(e|f)", "z{2}y", "(?:xy){2,3}z",
        ];
        var rng = new Random(7);
        const string alphabet = "abcdefgloruxyzq@.ex org ";
        foreach (var pattern in patterns)
        {
            var set = PatternAnalyzer.RequiredLiterals(pattern, false);
            Assert.NotNull(set);
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            for (int n = 0; n < 3000; n++)
            {
                var line = new string(Enumerable.Range(0, rng.Next(1, 30)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
                if (regex.IsMatch(line)) Assert.True(set!.Any(line.Contains), $"'{pattern}' matches '{line}' with none of {string.Join(",", set!)}");
            }
        }
    }
}
