using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

public class TeddySearcherTests
{
    [Fact]
    public void Agrees_with_the_naive_search()
    {
        var rng = new Random(17);
        const string alphabet = "abcdeXYZ <>\n.é";
        for (int round = 0; round < 1500; round++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            int count = rng.Next(2, rng.Next(2) == 0 ? 9 : 70);
            var literals = Enumerable.Range(0, count)
                .Select(_ => Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, rng.Next(1, 8)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray())))
                .ToList();
            if (rng.Next(4) == 0) literals.Add(literals[0]); // duplicates keep their own id
            var hay = Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, rng.Next(0, 300)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray())).ToList();
            int[] favoured = [0, hay.Count, 15, 16, 17, 31, 32, 33, 63, 64, 65];
            for (int k = rng.Next(4); k > 0; k--)
            {
                var lit = literals[rng.Next(literals.Count)];
                int at = Math.Min(hay.Count, rng.Next(2) == 0 ? favoured[rng.Next(favoured.Length)] : rng.Next(hay.Count + 1));
                hay.InsertRange(at, lit.Select(b => ignoreCase && rng.Next(2) == 0 && (uint)((b | 0x20) - 'a') <= 25 ? (byte)(b ^ 0x20) : b));
            }
            var bytes = hay.ToArray();
            var searcher = new TeddySearcher(literals, ignoreCase);
            var expected = NaiveLiteralSearch.FindAll(bytes, literals, ignoreCase);
            var all = new List<LiteralHit>();
            searcher.FindAll(bytes, all);
            Assert.Equal(expected.Select(h => (h.Start, h.Literal)).Order(), all.Select(h => (h.Start, h.Literal)).Order());
            Assert.True(NaiveLiteralSearch.IsValidFind(searcher.Find(bytes), expected, literals));
        }
    }

    [Fact]
    public void Random_text_without_the_literals_gives_no_hits()
    {
        var rng = new Random(5);
        var text = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, 100_000).Select(_ => "abcdefgh \n"[rng.Next(10)]).ToArray()));
        var literals = new[] { "xyz", "QQ", "zzz", "wvw", "jkl", "mno", "pqr", "stu" }.Select(Encoding.ASCII.GetBytes).ToList();
        var s = new TeddySearcher(literals, ignoreAsciiCase: false);
        Assert.Equal(-1, s.Find(text));
        var all = new List<LiteralHit>();
        s.FindAll(text, all);
        Assert.Empty(all);
    }
}
