using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

public class SingleLiteralSearcherTests
{
    [Fact]
    public void Agrees_with_the_naive_search_on_planted_and_random_text()
    {
        var rng = new Random(3);
        const string alphabet = "abcdeXYZ <>\n.é日";
        for (int round = 0; round < 3000; round++)
        {
            bool ignoreCase = rng.Next(2) == 0;
            var literal = Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, rng.Next(1, 10)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()));
            var hay = Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, rng.Next(0, 200)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray())).ToList();
            int[] favoured = [0, hay.Count, 15, 16, 17, 31, 32, 33, 63, 64, 65];
            for (int k = rng.Next(3); k > 0; k--)
            {
                int at = Math.Min(hay.Count, rng.Next(2) == 0 ? favoured[rng.Next(favoured.Length)] : rng.Next(hay.Count + 1));
                var planted = literal.Select(b => ignoreCase && rng.Next(2) == 0 && (uint)((b | 0x20) - 'a') <= 25 ? (byte)(b ^ 0x20) : b);
                hay.InsertRange(at, planted);
            }
            var bytes = hay.ToArray();
            var searcher = new SingleLiteralSearcher(literal, ignoreCase);
            var expected = NaiveLiteralSearch.FindAll(bytes, [literal], ignoreCase);
            var all = new List<LiteralHit>();
            searcher.FindAll(bytes, all);
            Assert.Equal(expected.Select(h => h.Start), all.Select(h => h.Start).Order());
            Assert.True(NaiveLiteralSearch.IsValidFind(searcher.Find(bytes), expected, [literal]));
        }
    }
}
