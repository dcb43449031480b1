using System.Diagnostics;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// How fast this machine scans for a given pattern set, per core, in bytes of compressed input a second: measured
/// on a Common-Crawl-shaped .warc.gz generated in memory (no input is read), so a plan can say how long it will
/// take before any data moves.
/// </summary>
public static class ScanSpeed
{
    /// <summary>Uncompressed size of the sample: about a third of a second of scanning on one core.</summary>
    public const long SampleSize = 24L << 20;

    public static double MeasureBytesPerSecond(ScanOptions options)
    {
        var gz = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 7, TargetSize = SampleSize, Kinds = CorpusKinds.Warc }).Generate(gz, null, null);
        var source = new MemorySource("sample.warc.gz", gz.ToArray());
        using var scanner = new ArchiveScanner(options with { Progress = null, MaxLinesPerFile = null });
        scanner.Scan(source, NullHitSink.Instance); // warm-up: the first pass pays for compiling the hot paths
        var clock = Stopwatch.StartNew();
        scanner.Scan(source, NullHitSink.Instance);
        return source.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
    }

    /// <summary>How long a scan is expected to take, in words for a terminal.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 1 => "under a second",
        < 90 => $"{seconds:0} s",
        < 5400 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.#} h",
    };
}
