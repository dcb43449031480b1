using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

public class SingleLiteralSearcherTests
{
    [Fact]
    public void AnchorsOnTwoRareBytesOfDifferentValues()
    {
        var searcher = new SingleLiteralSearcher("crawlgrep"u8.ToArray(), true);
        var (first, second) = searcher.Anchors;
        Assert.NotEqual(first, second);
        Assert.NotEqual("crawlgrep"[first], "crawlgrep"[second]);
        Assert.DoesNotContain(first, new[] { 1, 2, 7 }); // r, a, e are among the commonest letters
        var same = new SingleLiteralSearcher("aaaa"u8.ToArray(), true);
        Assert.NotEqual(same.Anchors.First, same.Anchors.Second);
    }

    [Fact]
    public void CaseFoldingTouchesLettersOnly()
    {
        foreach (var width in LiteralSearchChecks.Widths)
        {
            // '@' and '`', '[' and '{', '^' and '~' differ in bit 0x20 like the cases of a letter.
            var searcher = new SingleLiteralSearcher("a`{~z"u8.ToArray(), true, width);
            var hay = Encoding.ASCII.GetBytes(new string('.', 40) + "A@[^Z a@{~z A`{~Z");
            Assert.Equal(52, searcher.Find(hay));
            var hits = new List<LiteralHit>();
            searcher.FindAll(hay, hits);
            Assert.Equal([new LiteralHit(0, 52)], hits);
        }
    }

    [Fact]
    public void FindsEveryOverlappingOccurrence()
    {
        foreach (bool ignoreCase in new[] { false, true })
            foreach (var width in LiteralSearchChecks.Widths)
            {
                var searcher = new SingleLiteralSearcher("aXa"u8.ToArray(), ignoreCase, width);
                var hay = Encoding.ASCII.GetBytes(new string('-', 30) + "aXaXaXa" + new string('-', 30));
                var hits = new List<LiteralHit>();
                searcher.FindAll(hay, hits);
                Assert.Equal([30, 32, 34], hits.Select(h => h.Start));
            }
    }
}
