using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

public class TeddySearcherTests
{
    private static byte[][] Bytes(params string[] literals) => literals.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void EveryLiteralIsInExactlyOneBucketOfAtMostEight()
    {
        var rng = new Random(21);
        for (int c = 0; c < 50; c++)
        {
            var pool = LiteralSearchChecks.Pool(rng);
            var literals = Enumerable.Range(0, rng.Next(1, 65)).Select(_ => LiteralSearchChecks.RandomBytes(rng, pool, rng.Next(1, 12))).ToArray();
            var teddy = new TeddySearcher(literals, rng.Next(2) == 0);
            Assert.Equal(TeddyPlan.MaxBuckets, teddy.Plan.Buckets.Length);
            Assert.Equal(Enumerable.Range(0, literals.Length), teddy.Plan.Buckets.SelectMany(b => b).Order());
            Assert.InRange(teddy.Plan.Length, 1, Math.Min(TeddyPlan.MaxFingerprintLength, literals.Min(l => l.Length)));
            Assert.InRange(teddy.Plan.Offset + teddy.Plan.Length, 1, literals.Min(l => l.Length));
        }
    }

    [Fact]
    public void LiteralsWithTheSameFingerprintShareABucket()
    {
        var teddy = new TeddySearcher(Bytes("abcdef", "abcxyz", "ABCqqq", "zzzzzz"), true, SimdWidth.Vector256, (0, 3));
        var bucketOf = Enumerable.Range(0, 4).ToDictionary(id => id, id => Array.FindIndex(teddy.Plan.Buckets, b => b.Contains(id)));
        Assert.Equal(bucketOf[0], bucketOf[1]);
        Assert.Equal(bucketOf[0], bucketOf[2]);
        Assert.NotEqual(bucketOf[0], bucketOf[3]);
    }

    [Fact]
    public void UpToEightDistinctFingerprintsGetABucketEach()
    {
        var literals = Bytes("crawlgrep", "example.org", "Lorem ipsum", "+1-555-01", "password", "bitcoin", "javascript:", "copyright");
        var teddy = new TeddySearcher(literals, false);
        Assert.All(teddy.Plan.Buckets, b => Assert.Single(b));
        Assert.Equal(3, teddy.Plan.Length);
    }

    [Fact]
    public void FindsInAHaystackOfWebText()
    {
        var literals = Bytes("crawlgrep", "example.org", "Lorem ipsum");
        var hay = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<p class=\"x\">Some text about things.</p>\n", 50)) + "mail me at bob@EXAMPLE.ORG or try CrawlGrep");
        foreach (var width in LiteralSearchChecks.Widths)
        {
            Assert.Equal(hay.Length - "example.org or try CrawlGrep".Length, new TeddySearcher(literals, true, width).Find(hay));
            Assert.Equal(-1, new TeddySearcher(literals, false, width).Find(hay));
        }
    }
}
