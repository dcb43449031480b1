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
}
