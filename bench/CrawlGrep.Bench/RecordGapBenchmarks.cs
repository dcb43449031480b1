using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Bench;

/// <summary>
/// What the gap limit of an index-guided scan trades, on one core and a local .warc.gz: a gap read costs its
/// decoding (it is inflated to be skipped), a request costs its setup (a range opened, a decoder and a reader).
/// Selections of every 2nd and every 8th record read with gap limits from 0 (a request per run of touching records)
/// to unlimited (one request: every byte decoded) give both. Results: bench/results/record-gap.md.
/// </summary>
[Config(typeof(Config))]
public class RecordGapBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8));
    }

    private const long CorpusBytes = 64L * 1000 * 1000;
    private LocalFileSource _source = null!;
    private ArchiveScanner _scanner = null!;
    private List<FileExtent> _records = [];

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(BenchCorpus.Directory, "record-gap");
        string path = Path.Combine(dir, CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip));
        if (!File.Exists(path))
            new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = CorpusBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Gzip }).Generate(dir);
        _source = new LocalFileSource(path);
        _scanner = new ArchiveScanner(new ScanOptions { Patterns = new PatternSet(["zzqqxxnotthere"], new MatchOptions()), Filter = new RecordFilter(["all"]) });
        // Every record's offset (per-record gzip: a record ends where the next begins).
        var offsets = new List<long>();
        DecoderWarning fail = (offset, message) => throw new InvalidOperationException($"{offset}: {message}");
        using (var reader = new WarcReader(new GzipDecoder(File.OpenRead(path), 0, fail), fail))
            while (reader.MoveNext()) offsets.Add(reader.CompressedOffset);
        _records = offsets.Select((o, i) => new FileExtent(o, (i + 1 < offsets.Count ? offsets[i + 1] : _source.Length) - o)).ToList();
        var selected = Selected(Every);
        var reads = RecordCoalescer.Coalesce(selected, _source.Length, Gap, long.MaxValue, int.MaxValue).Single().Reads;
        Console.WriteLine($"// {_records.Count} records, {_source.Length} bytes; every {Every}: {selected.Count} records, {selected.Sum(r => r.Length)} bytes; " +
                          $"gap {Gap}: {reads.Count} requests, {reads.Sum(r => r.Length)} bytes");
    }

    /// <summary>Every Nth record is selected.</summary>
    [Params(2, 8)]
    public int Every { get; set; }

    /// <summary>The gap limit: 0 reads each run of touching records in a request of its own.</summary>
    [Params(0, 1024, 4096, 16384, long.MaxValue)]
    public long Gap { get; set; }

    private List<FileExtent> Selected(int every) => _records.Where((_, i) => i % every == every - 1).ToList();

    private long Scan(List<FileExtent> selected, long gap)
    {
        var group = RecordCoalescer.Coalesce(selected, _source.Length, gap, long.MaxValue, int.MaxValue).Single();
        var slice = new ScanSlice(group.Reads[0].Offset, group.Reads[^1].End, ArchiveFormat.Gzip) { Records = group.Records, Reads = group.Reads };
        var r = _scanner.Scan(_source, NullHitSink.Instance, slice);
        if (r.Error is not null || r.Stats.Warnings > 0 || r.Stats.Records != selected.Count) throw new InvalidOperationException(r.Error ?? "records lost");
        return r.Stats.CompressedBytes;
    }

    [Benchmark(Description = "every Nth record, gaps up to the limit read")]
    public long Selection() => Scan(Selected(Every), Gap);

    [GlobalCleanup]
    public void Cleanup() => _scanner.Dispose();
}
