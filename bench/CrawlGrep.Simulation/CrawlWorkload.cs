using CrawlGrep.Core.Planning;

namespace CrawlGrep.Simulation;

/// <summary>
/// The tasks of a crawl's files as a Lambda scan plans them: the planner's default range size for that many workers
/// (16-256 MiB), each file cut into equal ranges of at most that size, files in order.
/// </summary>
public static class CrawlWorkload
{
    /// <summary>One crawl's WET files: about 90,000 of about 150 MB.</summary>
    public static IReadOnlyList<long> Wet(int concurrency, int files = 90_000, int seed = 1) => Files(files, 150e6, 0.15, concurrency, seed);

    /// <summary>One crawl's WARC files: about 90,000 of about 1 GB.</summary>
    public static IReadOnlyList<long> Warc(int concurrency, int files = 90_000, int seed = 1) => Files(files, 1e9, 0.1, concurrency, seed);

    /// <summary><paramref name="files"/> files of <paramref name="meanBytes"/> ± <paramref name="spread"/> (uniform), cut as the planner cuts them.</summary>
    public static IReadOnlyList<long> Files(int files, double meanBytes, double spread, int concurrency, int seed)
    {
        var random = new Random(seed);
        var sizes = new long[files];
        for (int i = 0; i < files; i++) sizes[i] = (long)(meanBytes * (1 + spread * (2 * random.NextDouble() - 1)));
        long split = Planner.DefaultSplit(sizes.Sum(), concurrency);
        var tasks = new List<long>(files * 4);
        foreach (long length in sizes)
        {
            long n = length > split ? (length - 1) / split + 1 : 1;
            for (long k = 0; k < n; k++) tasks.Add(length * (k + 1) / n - length * k / n);
        }
        return tasks;
    }
}
