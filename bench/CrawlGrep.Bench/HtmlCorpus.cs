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

    /// <summary>
    /// A literal set of <paramref name="count"/> terms: half are words and word pairs that occur in the
    /// corpus, half random strings that do not (fixed seed).
    /// </summary>
    public static string[] Terms(int count, int seed = 5)
    {
        var rng = new Random(seed);
        var words = System.Text.Encoding.UTF8.GetString(Bytes, 0, 4_000_000)
            .Split([' ', '\n', '\r', '<', '>', '"', '=', '/', '.', ',', ':', ';', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4 && w.All(char.IsLetter)).Distinct().ToArray();
        var terms = new HashSet<string>();
        while (terms.Count < count / 2)
            terms.Add(rng.Next(3) == 0 ? $"{words[rng.Next(words.Length)]} {words[rng.Next(words.Length)]}" : words[rng.Next(words.Length)] + words[rng.Next(words.Length)][..2]);
        while (terms.Count < count)
            terms.Add(new string(Enumerable.Range(0, rng.Next(6, 12)).Select(_ => (char)('a' + rng.Next(26))).ToArray()));
        return terms.ToArray();
    }
}
