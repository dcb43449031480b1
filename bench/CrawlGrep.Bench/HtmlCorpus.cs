using CrawlGrep.Core.Generation;

namespace CrawlGrep.Bench;

/// <summary>
/// The uncompressed WARC text the in-memory search benchmarks read: made once by the project's generator
/// (seed 1, about 110 MB, plain) and cached in the benchmark folder. It is mostly HTML payloads, with their
/// WARC and HTTP headers, taken as they are.
/// </summary>
public static class HtmlCorpus
{
    public const long TargetBytes = 110L * 1000 * 1000;

    public static string Path => System.IO.Path.Combine(BenchCorpus.Directory, $"seed1-{TargetBytes / 1_000_000}MB-plain",
        CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Plain));

    /// <summary>Generates the file unless it is there; returns its bytes.</summary>
    public static byte[] Load()
    {
        if (!File.Exists(Path))
        {
            string dir = System.IO.Path.GetDirectoryName(Path)!, temp = dir + ".partial";
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = TargetBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Plain })
                .Generate(temp);
            Directory.Move(temp, dir);
        }
        return File.ReadAllBytes(Path);
    }

    /// <summary>Size of the cached file, or 0 before it exists.</summary>
    public static long Bytes => File.Exists(Path) ? new FileInfo(Path).Length : 0;
}
