using CrawlGrep.Core.Generation;

namespace CrawlGrep.Bench;

/// <summary>
/// ≥ 100 MB of uncompressed, CC-shaped WARC text (mostly HTML) in memory, made once per process by
/// the project's generator (seed 1), for benchmarks of the matcher alone.
/// </summary>
public static class HtmlCorpus
{
    public const long TargetBytes = 110L * 1000 * 1000;

    private static readonly Lazy<byte[]> Text = new(() =>
    {
        using var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = TargetBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Plain })
            .Generate(warc, null, null);
        return warc.ToArray();
    });

    public static byte[] Bytes => Text.Value;

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
