using System.Text;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Scanning;

/// <summary>
/// Local files are read in place through memory-mapped windows: an uncompressed one as the reader's own bytes, a
/// compressed one as the decoder's input. Whatever the window (one page, so it slides at nearly every record, or the
/// default), whole or in slices, damaged or not, a mapped scan gives the hits, warnings and counts of the same bytes
/// read through buffers.
/// </summary>
public sealed class MappedFileTests(ITestOutputHelper output)
{
    private static readonly ScanOptions Buffered = new()
    {
        Patterns = new PatternSet(["the", "http", "warc", "[0-9]{4}"], new MatchOptions { IgnoreCase = true }),
        Filter = new RecordFilter(["all"]),
        MapLocalFiles = false,
    };

    public static TheoryData<string> Damages => ["none", "truncated", "garbage between records", "wrong Content-Length", "LF line ends"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_mapped_file_gives_what_its_bytes_read_through_buffers_give(string damage)
    {
        using var dir = new ScratchDir();
        var bytes = Damage(Generated(), damage);
        string path = dir.Write("CC-MAIN-20240517233122-20240518023122-00000.warc", bytes);
        var expected = Scan(new MemorySource(path, bytes), Buffered, null);
        Assert.NotEmpty(expected.Hits);
        if (damage != "none" && damage != "LF line ends") Assert.NotEmpty(expected.Warnings);
        AssertMappedAlike(path, expected);
        output.WriteLine($"{damage}: {expected.Hits.Count} hits, {expected.Warnings.Count} warnings");
    }

    public static TheoryData<WarcCompression, string> CompressedDamages => new()
    {
        { WarcCompression.Gzip, "none" }, { WarcCompression.Gzip, "truncated" }, { WarcCompression.Gzip, "garbage between members" },
        { WarcCompression.Gzip, "corrupt member" }, { WarcCompression.GzipWhole, "none" },
        { WarcCompression.Zstd, "none" }, { WarcCompression.Zstd, "truncated" }, { WarcCompression.Zstd, "corrupt member" },
    };

    [Theory]
    [MemberData(nameof(CompressedDamages))]
    public void A_mapped_compressed_file_gives_what_its_bytes_read_through_buffers_give(WarcCompression compression, string damage)
    {
        using var dir = new ScratchDir();
        var bytes = DamageUnits(Generated(compression), compression, damage);
        string path = dir.Write($"CC-MAIN-20240517233122-20240518023122-00000.warc.{(compression == WarcCompression.Zstd ? "zst" : "gz")}", bytes);
        var expected = Scan(new MemorySource(path, bytes), Buffered, null);
        Assert.NotEmpty(expected.Hits);
        if (damage != "none") Assert.NotEmpty(expected.Warnings);
        AssertMappedAlike(path, expected);
        output.WriteLine($"{compression} {damage}: {expected.Hits.Count} hits, {expected.Warnings.Count} warnings");
    }

    [Theory]
    [InlineData(WarcCompression.Plain)]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    public void Slices_of_a_mapped_file_give_the_hits_of_the_whole_file(WarcCompression compression)
    {
        using var dir = new ScratchDir();
        var bytes = Generated(compression);
        string path = dir.Write("CC-MAIN-20240517233122-20240518023122-00000" + compression switch
        {
            WarcCompression.Gzip => ".warc.gz", WarcCompression.Zstd => ".warc.zst", _ => ".warc",
        }, bytes);
        var whole = Scan(new MemorySource(path, bytes), Buffered, null).Hits;
        var options = Buffered with { MapLocalFiles = true, MapWindow = 4096 };
        var layout = InputProbe.Probe(new LocalFileSource(path), out _)!;
        var rng = new Random(20261206);
        for (int round = 0; round < 20; round++)
        {
            var cuts = Enumerable.Range(0, rng.Next(1, 12)).Select(_ => 1 + rng.NextInt64(bytes.Length - 1)).Append(bytes.Length).Distinct().Order().ToList();
            var hits = new List<string>();
            long from = 0;
            foreach (long cut in cuts)
            {
                hits.AddRange(Scan(new LocalFileSource(path), options, new ScanSlice(from, cut, layout.Format!.Value, layout.Crawl)).Hits);
                from = cut;
            }
            hits.Sort(StringComparer.Ordinal);
            Assert.True(whole.SequenceEqual(hits), $"cut at [{string.Join(", ", cuts)}]: {hits.Count} hits, whole scan {whole.Count}");
        }
    }

    [Fact]
    public void The_real_plain_archive_reads_alike_mapped_and_buffered()
    {
        if (RealData.Require(output) is null) return;
        using var dir = new ScratchDir();
        var bytes = RealData.Bytes("resiliparse/warcfile.warc");
        string path = dir.Write("warcfile.warc", bytes);
        var expected = Scan(new MemorySource(path, bytes), Buffered, null);
        var mapped = Scan(new LocalFileSource(path), Buffered with { MapLocalFiles = true, MapWindow = 4096 }, null);
        Assert.NotEmpty(expected.Hits);
        Assert.Equal(expected.Summary, mapped.Summary);
        Assert.Equal(expected.Warnings, mapped.Warnings);
        Assert.Equal(expected.Hits, mapped.Hits);
    }

    [Theory]
    [InlineData("whirlwind-python/whirlwind.warc.gz")]
    [InlineData("whirlwind-python/whirlwind.warc.wet.gz")]
    [InlineData("whirlwind-python/whirlwind.warc.wat.gz")]
    [InlineData("dolma/sample-0000.warc.gz")]
    [InlineData("ia-web-commons/IAH-urls-wget.warc.gz")]
    public void Real_compressed_archives_read_alike_mapped_and_buffered(string name)
    {
        if (RealData.Require(output) is null) return;
        using var dir = new ScratchDir();
        var bytes = RealData.Bytes(name);
        string path = dir.Write(Path.GetFileName(name), bytes);
        var expected = Scan(new MemorySource(path, bytes), Buffered, null);
        Assert.NotEmpty(expected.Hits);
        AssertMappedAlike(path, expected);
        output.WriteLine($"{name}: {expected.Hits.Count} hits, {expected.Warnings.Count} warnings");
    }

    [Fact]
    public void Files_that_are_not_plain_archives_say_what_they_are_as_before()
    {
        using var dir = new ScratchDir();
        foreach (var (name, content) in new[] { ("text.warc", "just some text\nthe end\n"u8.ToArray()), ("one-byte.warc", "W"u8.ToArray()) })
        {
            string path = dir.Write(name, content);
            var expected = Scan(new MemorySource(path, content), Buffered, null);
            var mapped = Scan(new LocalFileSource(path), Buffered with { MapLocalFiles = true }, null);
            Assert.Equal(expected.Summary, mapped.Summary);
            Assert.Equal(expected.Hits, mapped.Hits);
        }
    }

    private sealed record Result(List<string> Hits, List<string> Warnings, string Summary);

    /// <summary>Scans the file mapped, through windows of one page, 64 KiB and the default: each time as <paramref name="expected"/>.</summary>
    private static void AssertMappedAlike(string path, Result expected)
    {
        foreach (int window in new[] { 4096, 64 * 1024, FileWindows.DefaultWindow })
        {
            var mapped = Scan(new LocalFileSource(path), Buffered with { MapLocalFiles = true, MapWindow = window }, null);
            Assert.Equal(expected.Summary, mapped.Summary);
            Assert.Equal(expected.Warnings, mapped.Warnings);
            Assert.Equal(expected.Hits, mapped.Hits);
        }
    }

    private static Result Scan(IByteSource source, ScanOptions options, ScanSlice? slice)
    {
        using var scanner = new ArchiveScanner(options);
        var sink = new CollectingSink();
        var r = scanner.Scan(source, sink, slice);
        var hits = sink.Hits.Select(h => $"{h.RecordOffset}|{h.RecordLength}|{h.PatternIndex}|{h.MatchOffset}|{h.Match}|{h.WarcType}|{h.RecordId}|" +
                                          $"{h.TargetUri}|{h.Crawl}|{h.ContentType}|{h.Context}").Order(StringComparer.Ordinal).ToList();
        var warnings = sink.Warnings.Select(w => $"{w.Offset}: {w.Message}").ToList();
        string summary = $"{r.Format} records {r.Stats.Records} scanned {r.Stats.RecordsScanned} payload {r.Stats.PayloadBytes} " +
                         $"decoded {r.Stats.DecodedBytes} errors {r.Stats.Errors} error {r.Error}";
        return new Result(hits, warnings, summary);
    }

    private static byte[] Generated(WarcCompression compression = WarcCompression.Plain)
    {
        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 11, TargetSize = 400 * 1024, Kinds = CorpusKinds.Warc, Compression = compression })
            .Generate(warc, null, null);
        return warc.ToArray();
    }

    /// <summary>Damage to a file of compressed units (a member or frame per record), a third of the way in.</summary>
    private static byte[] DamageUnits(byte[] bytes, WarcCompression compression, string damage)
    {
        byte[] magic = compression == WarcCompression.Gzip ? [0x1f, 0x8b, 0x08] : [0x28, 0xb5, 0x2f, 0xfd];
        int third = bytes.Length / 3 + bytes.AsSpan(bytes.Length / 3).IndexOf(magic);
        int next = third + 1 + bytes.AsSpan(third + 1).IndexOf(magic);
        switch (damage)
        {
            case "truncated":
                return bytes[..(bytes.Length - 1000)];
            case "garbage between members":
                return [.. bytes[..third], .. "not a member at all\r\n"u8, .. bytes[third..]];
            case "corrupt member":
                // Mid-member for gzip (its CRC fails); for zstd, whose frames here carry no checksum, in the frame's
                // and first block's headers.
                var damaged = (byte[])bytes.Clone();
                int at = compression == WarcCompression.Zstd ? third + 4 : third + (next - third) / 2;
                for (int i = at; i < at + 16; i++) damaged[i] ^= 0x5a;
                return damaged;
            default:
                return bytes;
        }
    }

    private static byte[] Damage(byte[] bytes, string damage)
    {
        var text = Encoding.Latin1.GetString(bytes);
        int third = text.IndexOf("\r\n\r\nWARC/1.", text.Length / 3, StringComparison.Ordinal) + 4;
        switch (damage)
        {
            case "truncated":
                return bytes[..(bytes.Length - 1000)];
            case "garbage between records":
                return Encoding.Latin1.GetBytes(text[..third] + "\x00\x01 not a record at all\r\n\r\n" + text[third..]);
            case "wrong Content-Length":
                int cl = text.IndexOf("Content-Length: ", third, StringComparison.Ordinal) + "Content-Length: ".Length;
                int eol = text.IndexOf('\r', cl);
                long n = long.Parse(text[cl..eol]);
                return Encoding.Latin1.GetBytes(text[..cl] + (n + 37) + text[eol..]);
            case "LF line ends":
                return Encoding.Latin1.GetBytes(text.Replace("\r\n", "\n"));
            default:
                return bytes;
        }
    }
}
