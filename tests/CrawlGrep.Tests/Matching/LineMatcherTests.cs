using System.Diagnostics;
using System.Text;
using CrawlGrep.Core.Matching;

namespace CrawlGrep.Tests.Matching;

public class LineMatcherTests
{
    private static List<LineMatch> Run(string[] patterns, MatchOptions options, byte[] text)
    {
        using var m = new LineMatcher(new PatternSet(patterns, options));
        var output = new List<LineMatch>();
        m.Match(text, output);
        return output;
    }

    [Fact]
    public void A_pattern_opening_with_inline_ignore_case_is_prefiltered_and_leaves_the_others_case_sensitive()
    {
        string[] patterns = ["facebook", "(?i)privacy policy", "jquery|zepto"];
        var set = new PatternSet(patterns, new MatchOptions());
        Assert.Empty(set.Unfiltered); // the (?i) pattern has its literal: no regex on every line
        Assert.True(set.Patterns[1].FoldsCase);
        var text = Encoding.UTF8.GetBytes("FACEBOOK\nour Privacy POLICY\nJQUERY and zepto\nfacebook, jquery\nnothing\n");
        var found = Run(patterns, new MatchOptions(), text)
            .Select(m => $"{m.Pattern}:{Encoding.UTF8.GetString(text, m.Start, m.Length)}").ToArray();
        Assert.Equal(["1:Privacy POLICY", "2:zepto", "0:facebook", "2:jquery"], found);
    }

    [Fact]
    public void Planted_literals_are_always_found_and_nothing_else()
    {
        var rng = new Random(11);
        const string filler = "abcdefghij lmnopqr tuvwxyz.,<>/\"=\n";
        for (int round = 0; round < 400; round++)
        {
            string literal = new(Enumerable.Range(0, rng.Next(1, 12)).Select(_ => (char)('A' + rng.Next(26))).ToArray()); // upper case: never in the filler
            int size = rng.Next(0, 300);
            var text = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, size).Select(_ => filler[rng.Next(filler.Length)]).ToArray())).ToList();
            var planted = new List<int>();
            int plants = rng.Next(0, 4);
            for (int k = 0; k < plants; k++)
            {
                // span ends and vector-width boundaries as well as random places
                int[] favoured = [0, text.Count, 15, 16, 17, 31, 32, 33, 63, 64, 65];
                int at = rng.Next(3) == 0 ? favoured[rng.Next(favoured.Length)] : rng.Next(text.Count + 1);
                at = Math.Min(at, text.Count);
                if (planted.Any(p => Math.Abs(p - at) < literal.Length + 1)) continue;
                for (int i = 0; i < planted.Count; i++) if (planted[i] >= at) planted[i] += literal.Length;
                text.InsertRange(at, Encoding.ASCII.GetBytes(literal));
                planted.Add(at);
            }
            var bytes = text.ToArray();
            var exact = Run([literal], new MatchOptions { FixedStrings = true }, bytes);
            Assert.Equal(planted.Order(), exact.Select(m => m.Start));
            var regex = Run([literal], new MatchOptions(), bytes);
            Assert.Equal(planted.Order(), regex.Select(m => m.Start));
            // -i: the same places, whatever the case in the text
            var lower = bytes.Select(b => b is >= (byte)'A' and <= (byte)'Z' && rng.Next(2) == 0 ? (byte)(b | 0x20) : b).ToArray();
            var ci = Run([literal.ToLowerInvariant()], new MatchOptions { FixedStrings = true, IgnoreCase = true }, lower);
            Assert.True(planted.Order().SequenceEqual(ci.Select(m => m.Start)) || literal.Any(c => c is 'K' or 'S') || ci.Count >= planted.Count,
                $"-i '{literal}' at {string.Join(",", planted)} found {string.Join(",", ci.Select(m => m.Start))}");
            foreach (var m in exact)
            {
                Assert.Equal(literal, Encoding.ASCII.GetString(bytes, m.Start, m.Length));
                Assert.True(m.LineStart == 0 || bytes[m.LineStart - 1] == '\n');
                Assert.True(m.LineEnd == bytes.Length || bytes[m.LineEnd] == '\n');
                Assert.DoesNotContain((byte)'\n', bytes[m.LineStart..m.LineEnd]);
            }
        }
    }

    [Fact]
    public void Each_hit_records_its_pattern_and_overlapping_patterns_both_match()
    {
        var text = "one crawlgrep line\nanother with grep only\nnothing\n"u8.ToArray();
        var hits = Run(["crawlgrep", "grep"], new MatchOptions { FixedStrings = true }, text);
        Assert.Equal([(0, 4), (1, 9), (1, 32)], hits.Select(h => (h.Pattern, h.Start)));
        var alt = Run(["crawl(grep|er)", "noth.ng"], new MatchOptions(), text);
        Assert.Equal([(0, 4), (1, 42)], alt.Select(h => (h.Pattern, h.Start)));
    }

    [Fact]
    public void Patterns_without_literals_see_every_line()
    {
        var text = "abc\n\n123\nx\n"u8.ToArray();
        var digits = Run([@"\d+"], new MatchOptions(), text);
        Assert.Equal([(5, 3)], digits.Select(h => (h.Start, h.Length)));
        var empty = Run(["^$"], new MatchOptions(), text);
        Assert.Equal([4], empty.Select(h => h.LineStart));
    }

    [Fact]
    public void Catastrophic_backtracking_moves_to_the_linear_engine_instead_of_hanging()
    {
        var line = new string('a', 40) + "!";
        var text = Encoding.ASCII.GetBytes($"{line}\naaaa\n{line}\n");
        var set = new PatternSet([@"^(a+)+$"], new MatchOptions { RegexTimeout = TimeSpan.FromMilliseconds(200) });
        using var m = new LineMatcher(set);
        var output = new List<LineMatch>();
        var clock = Stopwatch.StartNew();
        m.Match(text, output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal([(line.Length + 1, 4)], output.Select(o => (o.Start, o.Length)));
        var report = Assert.Single(m.TakeReport());
        Assert.Contains("non-backtracking", report);
    }

    [Fact]
    public void Non_ascii_offsets_are_bytes()
    {
        var text = Encoding.UTF8.GetBytes("café 日本語 crawlgrep\n🙂 Straße\n");
        var hits = Run(["日本語", "crawlgrep", "straße"], new MatchOptions { IgnoreCase = true }, text);
        Assert.Equal(["日本語", "crawlgrep", "Straße"], hits.Select(h => Encoding.UTF8.GetString(text, h.Start, h.Length)));
    }

    [Fact]
    public void Literal_sets_give_every_occurrence_per_pattern_and_first_per_line_gives_the_same_lines()
    {
        var rng = new Random(5);
        for (int round = 0; round < 80; round++)
        {
            // Teddy-sized and Aho-Corasick-sized sets over a small alphabet, so occurrences overlap and crowd lines.
            int count = rng.Next(2) == 0 ? rng.Next(2, 40) : rng.Next(65, 400);
            bool ignoreCase = rng.Next(3) == 0;
            string alphabet = ignoreCase ? "abcs" : "abcd"; // under -i, literals with an s need the regex (s also matches ſ)
            var literals = new HashSet<string>();
            while (literals.Count < count)
                literals.Add(new string(Enumerable.Range(0, rng.Next(1, 7)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()));
            var patterns = literals.ToArray();
            string textChars = alphabet + "xyz  \n";
            var text = new string(Enumerable.Range(0, rng.Next(0, 4000)).Select(_ => textChars[rng.Next(textChars.Length)]).ToArray());
            if (ignoreCase) text = new string(text.Select(c => rng.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray());
            var bytes = Encoding.ASCII.GetBytes(text);
            var options = new MatchOptions { FixedStrings = true, IgnoreCase = ignoreCase };

            var expected = new List<(int Pattern, int Start)>();
            int lineStart = 0;
            foreach (var line in text.Split('\n'))
            {
                var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                for (int p = 0; p < patterns.Length; p++)
                    for (int at = line.IndexOf(patterns[p], comparison); at >= 0; at = line.IndexOf(patterns[p], at + patterns[p].Length, comparison))
                        expected.Add((p, lineStart + at));
                lineStart += line.Length + 1;
            }
            expected = expected.OrderBy(e => e.Start).ThenBy(e => e.Pattern).ToList();

            using var m = new LineMatcher(new PatternSet(patterns, options));
            var output = new List<LineMatch>();
            m.Match(bytes, output);
            Assert.Equal(expected, output.Select(o => (o.Pattern, o.Start)));
            var lines = output.Select(o => o.LineStart).Distinct().ToList();

            m.Match(bytes, output, firstPerLine: true);
            Assert.Equal(lines, output.Select(o => o.LineStart));
            foreach (var o in output)
                Assert.Equal(patterns[o.Pattern], text.Substring(o.Start, o.Length), ignoreCase: ignoreCase);
        }
    }
}
