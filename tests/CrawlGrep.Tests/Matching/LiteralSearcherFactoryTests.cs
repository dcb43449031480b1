using System.Text;
using CrawlGrep.Core.Matching.Prefilters;
using static CrawlGrep.Tests.Matching.LiteralSearchChecks;

namespace CrawlGrep.Tests.Matching;

public class LiteralSearcherFactoryTests
{
    private static byte[][] Bytes(params string[] literals) => literals.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void ChoosesBySizeAndShape()
    {
        Assert.IsType<SingleLiteralSearcher>(LiteralSearcherFactory.Create(Bytes("crawlgrep"), false));
        Assert.IsType<SingleLiteralSearcher>(LiteralSearcherFactory.Create(Bytes("x"), true));
        Assert.IsType<TeddySearcher>(LiteralSearcherFactory.Create(Bytes("foo", "bar"), true));
        Assert.IsType<ByteSetSearcher>(LiteralSearcherFactory.Create(Bytes("a", "b", "c"), false));
        Assert.IsType<LiteralSearcherUnion>(LiteralSearcherFactory.Create(Bytes("a", "bar", "baz"), false));
        Assert.IsType<TeddySearcher>(LiteralSearcherFactory.Create(Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"w{i}")).ToArray(), false));
        Assert.IsType<AhoCorasickSearcher>(LiteralSearcherFactory.Create(Enumerable.Range(0, 65).Select(i => Encoding.UTF8.GetBytes($"w{i}")).ToArray(), false));
    }

    [Fact]
    public void RejectsEmptyLiteralsAndEmptySets()
    {
        Assert.Throws<ArgumentException>(() => LiteralSearcherFactory.Create([], false));
        Assert.Throws<ArgumentException>(() => LiteralSearcherFactory.Create([[]], false));
        Assert.Throws<ArgumentException>(() => LiteralSearcherFactory.Create(Bytes("a", ""), true));
        Assert.Throws<ArgumentException>(() => new SingleLiteralSearcher([], false));
        Assert.Throws<ArgumentException>(() => new TeddySearcher(Bytes("ab", ""), false));
        Assert.Throws<ArgumentException>(() => new ByteSetSearcher(Bytes("a", "bc"), false));
    }

    [Fact]
    public void DuplicatesKeepTheirOwnIds()
    {
        var hay = "xx foo FOO bar foo"u8.ToArray();
        foreach (var literals in new[] { Bytes("foo", "foo"), Bytes("foo", "bar", "foo", "FOO"), Bytes("o", "o", "foo") })
            foreach (bool ignoreCase in new[] { false, true })
            {
                var searcher = LiteralSearcherFactory.Create(literals, ignoreCase);
                var hits = new List<CrawlGrep.Core.Matching.Prefilters.LiteralHit>();
                searcher.FindAll(hay, hits);
                var expected = NaiveLiteralSearch.FindAll(hay, literals, ignoreCase);
                Assert.Equal(expected.OrderBy(h => h.Start).ThenBy(h => h.Literal), hits.OrderBy(h => h.Start).ThenBy(h => h.Literal));
            }
    }

    [Fact]
    public void MoreLiteralsThanTeddyTakesGoToTheAutomatonOrTheGivenLargeFactory()
    {
        var rng = new Random(11);
        for (int c = 0; c < 20; c++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var pool = Pool(rng);
            var literals = Enumerable.Range(0, rng.Next(65, 200)).Select(_ => RandomBytes(rng, pool, LiteralLength(rng))).ToArray();
            var hay = RandomBytes(rng, pool, rng.Next(0, 400));
            for (int k = rng.Next(10); k > 0; k--) Plant(rng, hay, literals[rng.Next(literals.Length)], rng.Next(Math.Max(1, hay.Length)), ignoreCase);

            // By default the automaton takes them; its Find may give the first-ending occurrence (the contract allows it).
            var automaton = LiteralSearcherFactory.Create(literals, ignoreCase);
            Assert.IsType<AhoCorasickSearcher>(automaton);
            var expected = NaiveLiteralSearch.FindAll(hay, literals, ignoreCase);
            var all = new List<LiteralHit>();
            automaton.FindAll(hay, all);
            Assert.Equal(expected.Select(h => (h.Start, h.Literal)).Order(), all.Select(h => (h.Start, h.Literal)).Order());
            Assert.True(NaiveLiteralSearch.IsValidFind(automaton.Find(hay), expected, literals));

            int calls = 0;
            var large = LiteralSearcherFactory.Create(literals, ignoreCase, (l, ic) =>
            {
                calls++;
                return new TeddySearcher(l, ic);
            });
            Assert.Equal(1, calls);
            Assert.IsType<TeddySearcher>(large);
            AssertAgree([("large", large)], hay);
        }
    }

    [Fact]
    public void UnionFindIsLeftmostAcrossParts()
    {
        var literals = Bytes("zz", "a", "yyyy", "bcd");
        var union = new LiteralSearcherUnion(literals, false,
        [
            (new TeddySearcher(Bytes("zz", "yyyy"), false), [0, 2]),
            (new ByteSetSearcher(Bytes("a"), false), [1]),
            (new SingleLiteralSearcher(Bytes("bcd")[0], false), [3]),
        ]);
        Assert.Equal(2, union.Find("xxbcdazzyyyy"u8));
        Assert.Equal(1, union.Find("xyyyyazz"u8));
        Assert.Equal(-1, union.Find("xyz"u8));
        Assert.Throws<ArgumentException>(() => new LiteralSearcherUnion(literals, false, [(new ByteSetSearcher(Bytes("a"), false), [1])]));
    }
}
