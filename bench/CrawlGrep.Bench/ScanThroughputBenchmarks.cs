using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Bench;

/// <summary>
/// One thread scanning a generated ≥ 200 MB CC-shaped .warc.gz, beside GZipStream and crawlgrep's own gzip decoder
/// decoding the same file and doing nothing else: the ratios say how close scanning comes to the inflate ceiling.
/// </summary>
[Config(typeof(Config))]
public class ScanThroughputBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new RateColumn("MB/s (uncompressed)", "Uncompressed WARC megabytes (10^6) per second, from the mean time", () => BenchCorpus.UncompressedBytes, 1e6));
        }
    }

    private string _path = "";
    private readonly byte[] _buffer = new byte[1 << 20];

    [GlobalSetup]
    public void Setup() => _path = BenchCorpus.Ensure();

    [Benchmark(Baseline = true, Description = "GZipStream decode only")]
    public long DecodeOnly()
    {
        using var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        long total = 0;
        int n;
        while ((n = gz.Read(_buffer)) > 0) total += n;
        return total;
    }

    /// <summary>The decoder stage alone (libdeflate per member where installed, else zlib-ng): the ceiling of a scan.</summary>
    [Benchmark(Description = "crawlgrep's gzip decoder only")]
    public long DecoderOnly() => Decode(wholeMembers: true);

    /// <summary>The decoder stage streaming every member through zlib-ng, as it does without libdeflate.</summary>
    [Benchmark(Description = "crawlgrep's gzip decoder only, zlib-ng")]
    public long DecoderOnlyZlib() => Decode(wholeMembers: false);

    private long Decode(bool wholeMembers)
    {
        using var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        using var decoder = new GzipDecoder(fs, 0, (offset, message) => throw new InvalidOperationException($"{offset}: {message}"), wholeMembers: wholeMembers);
        long total = 0;
        while (true)
        {
            var step = decoder.Read(_buffer);
            if (step.EndOfInput) return total;
            total += step.Bytes;
        }
    }

    [Benchmark(Description = "scan -F literal")]
    public long ScanLiteral() => Scan(["crawlgrep"], fixedStrings: true);

    [Benchmark(Description = "scan regex with a literal")]
    public long ScanRegex() => Scan([@"[a-z]+@example\.org"], fixedStrings: false);

    private long Scan(string[] patterns, bool fixedStrings)
    {
        var options = new ScanOptions { Patterns = new PatternSet(patterns, new MatchOptions { FixedStrings = fixedStrings }) };
        using var scanner = new ArchiveScanner(options);
        var counter = new HitCounter();
        var result = scanner.ScanFile(_path, counter);
        if (result.Error is not null) throw new InvalidOperationException(result.Error);
        return counter.Hits;
    }

    private sealed class HitCounter : IHitSink
    {
        public long Hits;
        public void OnHit(Hit hit) => Hits++;
        public void OnWarning(ScanWarning warning) => throw new InvalidOperationException(warning.ToString());
        public void OnFileDone(FileScanResult result) { }
    }
}
