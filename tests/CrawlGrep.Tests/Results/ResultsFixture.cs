using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Results;

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crawlgrep-results-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Builds hit rows and populated result databases for the tests.</summary>
internal static class ResultsData
{
    public static readonly string[] Hosts = ["example.com", "example.org", "news.example.net", "a.example", "b.example"];
    public static readonly string[] Patterns = ["needle", @"hay\w+"];

    /// <summary>Hit number <paramref name="i"/>: offsets beyond 4 GiB, dates, and some null columns.</summary>
    public static Hit MakeHit(int i, string file = "CC-MAIN-2024-22/segments/x/warc/CC-MAIN-20240522-00001.warc.gz")
    {
        var host = Hosts[i % Hosts.Length];
        return new Hit
        {
            File = file,
            Crawl = i % 10 == 0 ? null : (i % 2 == 0 ? "CC-MAIN-2024-22" : "CC-MAIN-2024-18"),
            RecordOffset = 5_000_000_000L + i * 1000L,
            RecordLength = 900 + i,
            WarcType = i % 3 == 0 ? "conversion" : "response",
            RecordId = $"<urn:uuid:{new Guid(i, 0, 0, new byte[8]):D}>",
            WarcDate = i % 7 == 0 ? null : new DateTime(2024, 5, 20, 10, 30, 0).AddSeconds(i),
            TargetUri = $"https://{host}/page/{i}",
            Host = i % 11 == 0 ? null : host,
            ContentType = i % 5 == 0 ? null : "text/html",
            PatternIndex = i % 2,
            Pattern = Patterns[i % 2],
            Match = i % 2 == 0 ? "needle" : "haystack" + (i % 4),
            MatchOffset = 10L * i,
            LineOffset = 10L * i - 3,
            Context = $"line {i}: a needle in a haystack, \"quoted\", with commas",
        };
    }

    /// <summary>A finished task's partial, as an executor hands it to the reducer.</summary>
    public static TaskPartial Partial(string file, string taskId, IReadOnlyList<Hit> hits, long records = 0, long end = 100, string? error = null)
    {
        var now = DateTime.UtcNow;
        var stats = new ScanStats { Records = records, Hits = hits.Count, CompressedBytes = end, Errors = error is null ? 0 : 1 };
        return new TaskPartial(file, new TaskOutcome(taskId, 0, end, "warc.gz", stats, error, now, now), hits, []);
    }

    /// <summary>A result database with two scans of <paramref name="hitsPerScan"/> hits each.</summary>
    public static string Populate(TempDir dir, int hitsPerScan = 500)
    {
        var db = dir.File("results.duckdb");
        using var store = new ResultStore(db);
        for (var s = 0; s < 2; s++)
        {
            var id = store.BeginScan(new ScanInfo("crawlgrep needle", Patterns, ["a.warc.gz"]));
            var reducer = new DuckDbReducer(store, id);
            reducer.Commit(Partial("a.warc.gz", "a", Enumerable.Range(0, hitsPerScan).Select(i => MakeHit(i)).ToList(), records: 10));
            reducer.RecordUnreadable("broken.warc.gz", "not a WARC file");
            store.FinishScan(id, new ScanStats { Files = 2, Hits = hitsPerScan, Errors = 1 }, ScanStatus.Incomplete);
        }
        return db;
    }
}
