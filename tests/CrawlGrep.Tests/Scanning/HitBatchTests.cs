using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Scanning;

/// <summary>A task's hits kept in columns come back as they went in, from memory or written out to disk.</summary>
public sealed class HitBatchTests
{
    private static Hit MakeHit(int i) => new()
    {
        File = "dir/ä file.warc.gz",
        Crawl = i % 5 == 0 ? null : "CC-MAIN-2024-22",
        RecordOffset = 5_000_000_000L + i / 7 * 1000L,
        RecordLength = 900 + i / 7,
        WarcType = "response",
        RecordId = $"<urn:uuid:{i / 7}>",
        WarcDate = i % 3 == 0 ? null : new DateTime(2024, 5, 20, 10, 30, 0, DateTimeKind.Utc).AddTicks(i * 1234567L),
        TargetUri = $"https://ex.example/p/{i / 7}?q=\"x\"",
        Host = i % 11 == 0 ? null : "ex.example",
        ContentType = i % 4 == 0 ? null : "text/html",
        PatternIndex = i % 2,
        Pattern = i % 2 == 0 ? "the" : "ünï\\w+",
        Match = i % 13 == 0 ? "" : "thé" + i,
        MatchOffset = 10L * i,
        LineOffset = 10L * i - 3,
        Context = i % 17 == 0 ? "" : $"line {i}: 𝄞 a <b>needle</b> in a \"haystack\"",
    };

    [Theory]
    [InlineData(HitBatch.SegmentBytes)] // all in memory
    [InlineData(4096)]                  // written out every few dozen hits
    public void Hits_come_back_in_order_and_unchanged(int segmentBytes)
    {
        var hits = Enumerable.Range(0, 5000).Select(MakeHit).ToList();
        using var batch = new HitBatch(segmentBytes);
        foreach (var h in hits) batch.Add(h);
        Assert.Equal(hits.Count, batch.Count);
        Assert.Equal(hits, batch.ToList());
        Assert.Equal(hits, batch.ToList()); // read twice: a commit that is tried again reads the same hits
    }

    [Fact]
    public void Memory_held_is_one_segment_whatever_the_count()
    {
        using var batch = new HitBatch(64 << 10);
        long most = 0;
        int segments = 0;
        for (int i = 0; i < 200_000; i++) batch.Add(MakeHit(i));
        batch.ForEachSegment(s => { most = Math.Max(most, s.Bytes); segments++; });
        Assert.True(segments > 100, $"{segments} segments");
        Assert.True(most < (64 << 10) + 1024, $"a segment of {most} bytes");
    }
}
