using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Execution;

public sealed class PartialCodecTests
{
    [Fact]
    public void A_partial_comes_back_hit_for_hit_with_its_warnings_and_outcome()
    {
        var hits = Enumerable.Range(0, 3000).Select(i => new Hit
        {
            File = "s3://b/k.warc.gz", Crawl = i % 3 == 0 ? null : "CC-MAIN-2024-22", RecordOffset = 5_000_000_000L + i, RecordLength = 900 + i,
            WarcType = "response", RecordId = $"<urn:uuid:{i}>", WarcDate = i % 5 == 0 ? null : new DateTime(2024, 5, 20, 10, 30, 0, DateTimeKind.Utc).AddTicks(i * 12345),
            TargetUri = $"https://example.org/{i}", Host = i % 7 == 0 ? null : "example.org", ContentType = "text/html", PatternIndex = i % 4,
            Pattern = "wor(l)d", Match = "w\u00f6rld \"quoted\" \u0001", MatchOffset = i * 10, LineOffset = i * 10 - 3, Context = $"line {i}\twith\ttabs \ud83d\ude00",
        }).ToList();
        var warnings = new[] { new ScanWarning("s3://b/k.warc.gz", 77, "truncated record") };
        var stats = new ScanStats { Records = 12, RecordsMatched = 5, RecordsScanned = 10, CompressedBytes = 1234, DecodedBytes = 5678, PayloadBytes = 4000, Hits = hits.Count, Warnings = 1, Errors = 1 };
        var outcome = new TaskOutcome("0123456789abcdef", 100, 2000, "warc.gz", stats, "read failed at offset 1500: reset",
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc));

        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            writer.OnWarning(warnings[0]);
            foreach (var h in hits) writer.OnHit(h);
            writer.Finish("s3://b/k.warc.gz", outcome);
        }
        Assert.True(wire.Length < hits.Count * 100, $"{wire.Length} bytes for {hits.Count} hits: not compressed");
        wire.Position = 0;
        var back = PartialReader.Read(wire);

        Assert.Equal("s3://b/k.warc.gz", back.Source);
        Assert.Equal(hits, back.Hits);
        Assert.Equal(warnings, back.Warnings);
        Assert.Equal(outcome with { Stats = null! }, back.Outcome with { Stats = null! });
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(stats, new System.Text.Json.JsonSerializerOptions { IncludeFields = true }),
            System.Text.Json.JsonSerializer.Serialize(back.Outcome.Stats, new System.Text.Json.JsonSerializerOptions { IncludeFields = true }));
    }

    [Fact]
    public void A_cut_or_damaged_partial_is_refused_with_a_reason()
    {
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            writer.OnHit(new Hit { File = "f", Pattern = "p", Match = "m", Context = "c" });
            writer.Finish("f", new TaskOutcome("t", 0, 1, "warc", new ScanStats(), null, DateTime.UtcNow, DateTime.UtcNow));
        }
        var bytes = wire.ToArray();
        var cut = Assert.Throws<InvalidDataException>(() => PartialReader.Read(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.Contains("partial result", cut.Message);
        var garbage = Assert.Throws<InvalidDataException>(() => PartialReader.Read(new MemoryStream("not zstd at all"u8.ToArray())));
        Assert.Contains("partial result", garbage.Message);
    }

    [Fact]
    public void Check_reads_the_outcome_of_a_whole_partial_and_refuses_a_cut_or_changed_one()
    {
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            for (int i = 0; i < 500; i++) writer.OnHit(new Hit { File = "f", Pattern = "p", Match = $"m{i}", Context = $"the context of hit {i}", RecordOffset = i });
            writer.Finish("f", new TaskOutcome("t", 0, 1, "warc", new ScanStats { Records = 7 }, "failed at 9", DateTime.UtcNow, DateTime.UtcNow));
        }
        var bytes = wire.ToArray();
        var (source, outcome) = PartialReader.Check(new MemoryStream(bytes));
        Assert.Equal(("f", "t", 7L, "failed at 9"), (source, outcome.TaskId, outcome.Stats.Records, outcome.Error));
        Assert.Throws<InvalidDataException>(() => PartialReader.Check(new MemoryStream(bytes[..^3])));
        var changed = (byte[])bytes.Clone();
        changed[bytes.Length / 2] ^= 0x55; // inside the compressed hits: caught by the frame's content checksum
        Assert.Throws<InvalidDataException>(() => PartialReader.Check(new MemoryStream(changed)));
    }
}
