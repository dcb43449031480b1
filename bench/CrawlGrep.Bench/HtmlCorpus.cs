using CrawlGrep.Core.Generation;

namespace CrawlGrep.Bench;

/// <summary>
/// ≥ 100 MB of uncompressed, CC-shaped WARC text (mostly HTML), for benchmarks of the matcher and its
/// searchers: generated once by the project's generator (seed 1) into the benchmark cache folder,
/// then read into memory once per process.
/// </summary>
public static class HtmlCorpus
{
    public const long TargetBytes = 110L * 1000 * 1000;

    public static string Path => System.IO.Path.Combine(BenchCorpus.Directory, $"seed1-{TargetBytes / 1_000_000}MB-plain",
        CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Plain));

    private static readonly Lazy<byte[]> Text = new(() =>
    {
        if (!File.Exists(Path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            string tmp = Path + ".tmp";
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = TargetBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Plain })
                    .Generate(fs, null, null);
            File.Move(tmp, Path, overwrite: true);
        }
        return File.ReadAllBytes(Path);
    });

    public static byte[] Bytes => Text.Value;

    /// <summary>Exact size of the text, read from the cached file (for rate columns in the host process).</summary>
    public static long Length => File.Exists(Path) ? new FileInfo(Path).Length : 0;
}
