using CrawlGrep.Core.Generation;

namespace CrawlGrep.Bench;

/// <summary>
/// The generated Common-Crawl-shaped corpus the benchmarks read: made once by the project's own
/// generator (deterministic, seed 1) and cached in the temp folder, with its uncompressed size beside it.
/// </summary>
public static class BenchCorpus
{
    /// <summary>Uncompressed WARC bytes; at least 200 MB as the scan benchmark requires.</summary>
    public const long TargetBytes = 220L * 1000 * 1000;

    public static string Directory =>
        Environment.GetEnvironmentVariable("CRAWLGREP_BENCH_DIR") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "crawlgrep-bench");

    public static string WarcGz => Path.Combine(Directory, $"seed1-{TargetBytes / 1_000_000}MB", CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip));

    private static string SizeFile => WarcGz + ".uncompressed-bytes";

    /// <summary>Generates the corpus unless it is already there; returns its path.</summary>
    public static string Ensure()
    {
        if (File.Exists(WarcGz) && File.Exists(SizeFile)) return WarcGz;
        var dir = Path.GetDirectoryName(WarcGz)!;
        System.IO.Directory.CreateDirectory(dir);
        var result = new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = TargetBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Gzip })
            .Generate(dir);
        long uncompressed = result.Files.Single(f => f.Kind == CorpusKinds.Warc).UncompressedBytes;
        File.WriteAllText(SizeFile, uncompressed.ToString());
        return WarcGz;
    }

    /// <summary>Uncompressed bytes of the corpus (read from the file the setup wrote), or 0 when unknown.</summary>
    public static long UncompressedBytes => File.Exists(SizeFile) && long.TryParse(File.ReadAllText(SizeFile), out long n) ? n : 0;
}
