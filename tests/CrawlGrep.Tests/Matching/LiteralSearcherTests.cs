using System.Text;
using static CrawlGrep.Tests.Matching.LiteralSearchChecks;

namespace CrawlGrep.Tests.Matching;

/// <summary>
/// Every literal searcher (single, Teddy at each vector width and with forced fingerprints, byte set, and the
/// factory's choice) against the naive search, on seeded random cases.
/// </summary>
public class LiteralSearcherTests
{
    private static byte[][] RandomLiterals(Random rng, byte[] pool, int count, bool ignoreCase)
    {
        var literals = new List<byte[]>();
        for (int i = 0; i < count; i++)
            literals.Add(i > 0 && rng.Next(10) == 0
                ? (ignoreCase ? ScrambleCase(rng, literals[rng.Next(i)]) : (byte[])literals[rng.Next(i)].Clone()) // a duplicate
                : RandomBytes(rng, pool, LiteralLength(rng)));
        return [.. literals];
    }

    [Fact]
    public void RandomLiteralsPlantedAtRandomOffsets()
    {
        var rng = new Random(1);
        for (int c = 0; c < 2000; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var pool = Pool(rng);
            int count = rng.Next(10) == 0 ? rng.Next(9, 70) : rng.Next(1, 9);
            var literals = RandomLiterals(rng, pool, count, ignoreCase);
            var hay = RandomBytes(rng, rng.Next(3) == 0 ? Pool(rng) : pool, rng.Next(0, 300));
            for (int k = rng.Next(5); k > 0; k--)
            {
                var lit = literals[rng.Next(count)];
                int at = rng.Next(4) switch { 0 => 0, 1 => hay.Length - lit.Length, _ => rng.Next(Math.Max(1, hay.Length)) };
                Plant(rng, hay, lit, at, ignoreCase);
            }
            AssertAgree(SearchersFor(literals, ignoreCase, rng), hay);
        }
    }

    [Fact]
    public void LiteralsAtEveryOffsetAroundVectorWidths()
    {
        var rng = new Random(2);
        var letters = "abcdefghijklmnopqrstuvwxyz <>/=\"ABCDEFGHIJ"u8.ToArray();
        foreach (int length in new[] { 1, 2, 3, 4, 7, 8, 9, 16, 17, 20 })
            foreach (bool ignoreCase in new[] { false, true })
            {
                var pool = Pool(rng);
                var literals = RandomLiterals(rng, pool, rng.Next(1, 6), ignoreCase);
                literals[0] = RandomBytes(rng, pool, length);
                var searchers = SearchersFor(literals, ignoreCase, rng);
                foreach (int edge in VectorEdges)
                    foreach (int hayLength in new[] { edge + length, edge + length + 1, edge + length + 17, 64, 100, 140 })
                    {
                        var background = RandomBytes(rng, letters, hayLength);
                        var fromStart = (byte[])background.Clone();
                        Plant(rng, fromStart, literals[0], edge, ignoreCase);
                        AssertAgree(searchers, fromStart);
                        var fromEnd = (byte[])background.Clone();
                        Plant(rng, fromEnd, literals[0], hayLength - length - edge, ignoreCase);
                        AssertAgree(searchers, fromEnd);
                    }
            }
    }

    [Fact]
    public void OverlappingLiterals()
    {
        var rng = new Random(3);
        for (int c = 0; c < 500; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var pool = rng.Next(2) == 0 ? "abAB"u8.ToArray() : Pool(rng);
            var root = RandomBytes(rng, pool, rng.Next(2, 16));
            var literals = new List<byte[]> { root };
            for (int k = rng.Next(1, 8); k > 0; k--)
            {
                int a = rng.Next(root.Length), b = rng.Next(a + 1, root.Length + 1);
                literals.Add(rng.Next(3) switch
                {
                    0 => root[..b],             // a prefix
                    1 => root[a..],             // a suffix
                    _ => root[a..b],            // an infix
                });
            }
            var hay = RandomBytes(rng, pool, rng.Next(0, 200));
            for (int k = rng.Next(6); k > 0; k--) Plant(rng, hay, root, rng.Next(Math.Max(1, hay.Length)), ignoreCase);
            AssertAgree(SearchersFor([.. literals], ignoreCase, rng), hay);
        }
    }

    [Fact]
    public void LiteralsWithNonAsciiBytes()
    {
        var rng = new Random(4);
        var words = new[] { "café", "Straße", "日本語", "naïve", "€100", "ŁÓDŹ", "élan", "Ünïcödé", "ß", "é" }.Select(Encoding.UTF8.GetBytes).ToArray();
        for (int c = 0; c < 500; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var literals = Enumerable.Range(0, rng.Next(1, 8)).Select(_ => words[rng.Next(words.Length)]).ToArray();
            var text = Encoding.UTF8.GetBytes("Ein Café in der Straße, 日本語 text; NAÏVE élan, ünïcödé €100 ŁÓDŹ ß é É ");
            var hay = RandomBytes(rng, rng.Next(2) == 0 ? text : Enumerable.Range(0x80, 0x80).Select(b => (byte)b).ToArray(), rng.Next(0, 300));
            for (int k = rng.Next(4); k > 0; k--)
            {
                var lit = literals[rng.Next(literals.Length)];
                Plant(rng, hay, lit, rng.Next(Math.Max(1, hay.Length)), ignoreCase);
            }
            AssertAgree(SearchersFor(literals, ignoreCase, rng), hay);
        }
    }

    [Fact]
    public void CaseInsensitiveInMixedCaseHaystacks()
    {
        var rng = new Random(5);
        for (int c = 0; c < 500; c++)
        {
            var literals = RandomLiterals(rng, "abcdeABCDE@`[{0"u8.ToArray(), rng.Next(1, 10), ignoreCase: true);
            var hay = ScrambleCase(rng, RandomBytes(rng, "abcdeABCDE@`[{0 "u8.ToArray(), rng.Next(0, 300)));
            for (int k = rng.Next(5); k > 0; k--) Plant(rng, hay, literals[rng.Next(literals.Length)], rng.Next(Math.Max(1, hay.Length)), ignoreCase: true);
            AssertAgree(SearchersFor(literals, ignoreCase: true, rng), hay);
        }
    }

    [Fact]
    public void RandomTextWithoutPlantedLiterals()
    {
        var rng = new Random(6);
        var html = "<html><head><title>News</title></head><body><div class=\"nav\"><a href=\"/home\">Home</a></div>\n<p>It was the best of times, it was the worst of times.</p>"u8.ToArray();
        for (int c = 0; c < 300; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var literals = Enumerable.Range(0, rng.Next(1, 12)).Select(_ => RandomBytes(rng, "qxzjkvQXZJKV#%&"u8.ToArray(), rng.Next(2, 12))).ToArray();
            int start = rng.Next(html.Length);
            var hay = Enumerable.Range(0, rng.Next(0, 2000)).Select(i => html[(start + i) % html.Length]).ToArray();
            AssertAgree(SearchersFor(literals, ignoreCase, rng), hay);
        }
    }

    [Fact]
    public void LongHaystacksWithManyHits()
    {
        var rng = new Random(7);
        for (int c = 0; c < 40; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var pool = Pool(rng);
            var literals = RandomLiterals(rng, pool, rng.Next(1, 20), ignoreCase);
            var hay = RandomBytes(rng, pool, rng.Next(1000, 6000));
            for (int k = rng.Next(100); k > 0; k--) Plant(rng, hay, literals[rng.Next(literals.Length)], rng.Next(hay.Length), ignoreCase);
            AssertAgree(SearchersFor(literals, ignoreCase, rng), hay);
        }
    }

    [Fact]
    public void EmptyHaystack()
    {
        var rng = new Random(8);
        foreach (bool ignoreCase in new[] { false, true })
            foreach (var literals in new[] { new[] { "a"u8.ToArray() }, ["ab"u8.ToArray()], ["a"u8.ToArray(), "bc"u8.ToArray()], ["xyz"u8.ToArray(), "Q"u8.ToArray(), "é"u8.ToArray()] })
                AssertAgree(SearchersFor(literals, ignoreCase, rng), []);
    }
}
