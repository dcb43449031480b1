using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Scanning;

/// <summary>
/// Range ownership: however a file is cut into slices (random offsets, offsets inside headers, exactly at record
/// and member starts, 1-byte slices, more slices than records), the slices together give exactly the hits of
/// the whole-file scan: no hit lost, none doubled.
/// </summary>
public sealed class SplitInvarianceTests(ITestOutputHelper output)
{
    private static readonly ScanOptions Options = new()
    {
        // Frequent in every kind of record, headers of HTTP payloads included: hits in nearly every record.
        Patterns = new PatternSet(["the", "http", "warc", "[0-9]{4}"], new MatchOptions { IgnoreCase = true }),
        Filter = new RecordFilter(["all"]),
    };

    [Fact]
    public void Any_split_of_the_real_archives_gives_the_hits_of_the_whole_scan()
    {
        string? root = RealData.Require(output);
        if (root is null) return;
        var rng = new Random(20261128);
        int splits = 0, files = 0;
        foreach (var entry in SourcesTable.Entries.Where(e => e.IsWarc))
        {
            var bytes = RealData.Bytes(entry.File);
            if (EngineRead.Detect(bytes, out _) is null) continue;
            splits += CheckRandomSplits(new MemorySource(entry.File, bytes), rng, 16);
            files++;
        }
        output.WriteLine($"{splits} splits of {files} real archives");
        Assert.True(splits >= 1000, $"only {splits} splits");
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    [InlineData(WarcCompression.Plain)]
    [InlineData(WarcCompression.GzipWhole)]
    public void Any_split_of_a_generated_corpus_gives_the_hits_of_the_whole_scan(WarcCompression compression)
    {
        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 3, TargetSize = 600 * 1024, Kinds = CorpusKinds.Warc, Compression = compression })
            .Generate(warc, null, null);
        var source = new MemorySource($"CC-MAIN-20240517233122-20240518023122-00000.{compression}", warc.ToArray());
        int splits = CheckRandomSplits(source, new Random((int)compression + 7), 60);
        output.WriteLine($"{splits} splits of a {source.Length}-byte {compression} corpus");
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    public void A_compressed_archive_captured_as_a_payload_never_passes_for_records_of_the_file(WarcCompression compression)
    {
        // The captured archive: small records that say "needle", each its own member or frame.
        var inner = new MemoryStream();
        using (var w = new WarcRecordWriter(inner, compression, leaveOpen: true))
            for (int i = 0; i < 6; i++)
                w.Write(Fields("resource", $"urn:inner:{i}"), System.Text.Encoding.ASCII.GetBytes($"a needle in record {i}\n"));
        // The file: its members are stored (level 0), so the captured archive's bytes lie verbatim inside one of them.
        var outer = new MemoryStream();
        long capturedAt;
        using (var w = new WarcRecordWriter(outer, compression, level: compression == WarcCompression.Gzip ? 0 : 1, leaveOpen: true))
        {
            w.Write(Fields("resource", "urn:outer:0"), "the first record\n"u8);
            capturedAt = w.Position;
            w.Write(Fields("resource", "urn:outer:1"), inner.ToArray());
            w.Write(Fields("resource", "urn:outer:2"), "the last record\n"u8);
        }
        var bytes = outer.ToArray();
        Assert.True(bytes.AsSpan().IndexOf(inner.ToArray().AsSpan(0, 64)) > 0, "the captured archive should lie verbatim in the file");
        var source = new MemorySource("captured." + compression, bytes);
        var layout = InputProbe.Probe(source, out _)!;
        var options = Options with { Patterns = new PatternSet(["needle", "the"], new MatchOptions()) };
        using var scanner = new ArchiveScanner(options);
        var whole = new CollectingSink();
        scanner.Scan(source, whole);
        Assert.DoesNotContain(whole.Hits, h => h.Match == "needle");
        var expected = Keys(whole.Hits);
        for (long cut = capturedAt + 1; cut < bytes.Length; cut++)
        {
            var sink = new CollectingSink();
            scanner.Scan(source, sink, new ScanSlice(0, cut, layout.Format!.Value, layout.Crawl));
            scanner.Scan(source, sink, new ScanSlice(cut, bytes.Length, layout.Format!.Value, layout.Crawl));
            Assert.True(Keys(sink.Hits).SequenceEqual(expected), $"cut at {cut}: {string.Join(" ; ", Keys(sink.Hits))}");
        }
    }

    private static KeyValuePair<string, string>[] Fields(string type, string id) =>
    [
        new("WARC-Type", type), new("WARC-Record-ID", $"<{id}>"), new("WARC-Date", "2024-05-18T01:02:03Z"),
        new("WARC-Target-URI", $"http://example.com/{id}"), new("Content-Type", "application/octet-stream"),
    ];

    /// <summary>Scans the whole source, then <paramref name="count"/> splits of it; returns the number checked.</summary>
    private int CheckRandomSplits(MemorySource source, Random rng, int count)
    {
        var layout = InputProbe.Probe(source, out string? error) ?? throw new InvalidOperationException(error);
        using var scanner = new ArchiveScanner(Options);
        var whole = new CollectingSink();
        scanner.Scan(source, whole);
        var expected = Keys(whole.Hits);
        // Where records start (gzip members, zstd frames, plain records): the places a split is most likely wrong.
        var starts = EngineRead.ReadAll(source.Bytes).Records.Select(r => r.CompressedOffset).Distinct().ToArray();
        for (int i = 0; i < count; i++)
        {
            var cuts = Cuts(rng, source.Length, starts, i);
            var sink = new CollectingSink();
            long from = 0;
            foreach (long cut in cuts.Append(source.Length))
            {
                scanner.Scan(source, sink, new ScanSlice(from, cut, layout.Format!.Value, layout.Crawl));
                from = cut;
            }
            var actual = Keys(sink.Hits);
            if (!actual.SequenceEqual(expected))
            {
                var missing = expected.Except(actual).Take(3);
                var extra = actual.Except(expected).Take(3);
                Assert.Fail($"{source.Name} cut at [{string.Join(", ", cuts)}]: {actual.Count} hits, whole scan {expected.Count}; " +
                            $"missing {string.Join(" ; ", missing)} extra {string.Join(" ; ", extra)}");
            }
        }
        return count;
    }

    /// <summary>Cut points in (0, length), of one of several kinds, sorted and distinct.</summary>
    private static List<long> Cuts(Random rng, long length, long[] starts, int round)
    {
        var cuts = new List<long>();
        long Random(long max) => max <= 1 ? 1 : 1 + rng.NextInt64(max - 1);
        long Near(long at) => Math.Clamp(at + rng.Next(-3, 80), 1, Math.Max(1, length - 1));
        switch (round % 5)
        {
            case 0: // random offsets
                for (int k = rng.Next(1, 9); k > 0; k--) cuts.Add(Random(length));
                break;
            case 1: // inside headers and exactly at record starts
                for (int k = rng.Next(1, 9); k > 0; k--)
                {
                    long s = starts.Length > 0 ? starts[rng.Next(starts.Length)] : Random(length);
                    cuts.Add(rng.Next(2) == 0 ? s : Near(s));
                }
                break;
            case 2: // 1-byte slices
                long at = Random(length);
                for (int k = 0; k < rng.Next(2, 6); k++) cuts.Add(at + k);
                break;
            case 3: // more slices than records
                int slices = 2 * starts.Length + 3;
                for (int k = 1; k < slices; k++) cuts.Add(length * k / slices);
                break;
            default: // every record start
                cuts.AddRange(starts);
                break;
        }
        return cuts.Where(c => c > 0 && c < length).Distinct().Order().ToList();
    }

    private static List<string> Keys(List<Hit> hits) =>
        hits.Select(h => $"{h.RecordOffset}|{h.RecordLength}|{h.PatternIndex}|{h.MatchOffset}|{h.Match}|{h.WarcType}|{h.RecordId}|" +
                         $"{h.TargetUri}|{h.Crawl}|{h.ContentType}|{h.Context}").Order(StringComparer.Ordinal).ToList();
}
