using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Scanning;

/// <summary>The hot path allocates per input (buffers, a zstd dictionary), not per record, once its buffers have grown.</summary>
public sealed class SteadyStateAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Plain)]
    [InlineData(WarcCompression.Zstd)]
    public void Scanning_allocates_nothing_per_record(WarcCompression compression)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"crawlgrep-alloc-{Guid.NewGuid():N}");
        try
        {
            var result = new CorpusGenerator(new CorpusOptions { Seed = 2, TargetSize = 40 << 20, Kinds = CorpusKinds.Warc, Compression = compression }).Generate(dir);
            string once = result.Files.Single().Path!;
            // The same records twice over: whatever is allocated per input cancels out, what is per record doubles.
            string twice = Path.Combine(dir, "twice." + Path.GetFileName(once));
            var bytes = File.ReadAllBytes(once);
            File.WriteAllBytes(twice, [.. bytes, .. compression == WarcCompression.Zstd ? bytes.AsSpan(DictionaryFrameLength(bytes)) : bytes]);
            var options = new ScanOptions { Patterns = new PatternSet(["zzqqxxnotthere", @"qq\d{3}zz"], new MatchOptions()), Filter = new RecordFilter(["all"]) };
            using var scanner = new ArchiveScanner(options);
            var sink = new CollectingSink();
            scanner.ScanFile(twice, sink); // warm up: buffers grown, code compiled
            (long Bytes, long Records) Measure(string file)
            {
                // The least of three scans: a one-off (a pool's buffer rented again after a trim) is not per record.
                (long Bytes, long Records) least = (long.MaxValue, 0);
                for (int i = 0; i < 3; i++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    var r = scanner.ScanFile(file, sink);
                    least = (Math.Min(least.Bytes, GC.GetAllocatedBytesForCurrentThread() - before), r.Stats.Records);
                }
                return least;
            }
            var a = Measure(once);
            var b = Measure(twice);
            double perRecord = (double)(b.Bytes - a.Bytes) / (b.Records - a.Records);
            output.WriteLine($"{compression}: {a.Records} records: {a.Bytes} bytes; {b.Records} records: {b.Bytes} bytes; {perRecord:F2} bytes per record");
            Assert.Empty(sink.Hits);
            Assert.Equal(2 * a.Records, b.Records);
            Assert.True(perRecord < 1, $"{perRecord:F2} bytes allocated per record");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static int DictionaryFrameLength(byte[] file) =>
        BitConverter.ToUInt32(file, 0) == WarcZstdDictionary.FrameMagic ? 8 + BitConverter.ToInt32(file, 4) : 0;
}
