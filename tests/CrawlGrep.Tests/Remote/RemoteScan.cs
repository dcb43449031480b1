using Amazon.Runtime;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Sources.Remote;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// Scans as crawlgrep does (planner, then the local executor on two workers) and keeps each input's hits in a form
/// that does not name the input, so a local file and its copy in S3 or behind HTTP compare equal hit for hit.
/// </summary>
internal static class RemoteScan
{
    public static readonly ScanOptions Options = new()
    {
        Patterns = new PatternSet(["the", "http", "warc", "[0-9]{4}"], new MatchOptions { IgnoreCase = true }),
        Filter = new RecordFilter(["all"]),
    };

    private static readonly ScanSpec Spec = new()
    {
        Patterns = new TaskPatterns { Items = ["the", "http", "warc", "[0-9]{4}"], IgnoreCase = true },
        Filters = new TaskFilters { Types = ["all"] },
    };

    public sealed record Outcome(Dictionary<string, List<string>> Hits, Dictionary<string, string?> Errors, int Tasks, ScanStats Totals);

    public static Outcome Run(IReadOnlyList<string> inputs, SourceResolver sources, long? split = null, int threads = 2)
    {
        var plan = Planner.Plan(inputs, Spec, new PlanOptions { Cores = threads, SplitSize = split }, sources.Open);
        var sink = new Collector();
        foreach (var f in plan.Failures) sink.Errors[f.Source] = f.Error;
        var results = new TaskResults(plan.Tasks, sink, reducer: null, maxLinesPerFile: null);
        new LocalExecutor(Options, threads, sources.Open).Run(results, CancellationToken.None);
        var totals = results.Totals;
        totals.Files = plan.Tasks.Select(t => t.Source).Distinct().Count();
        foreach (var list in sink.Hits.Values) list.Sort(StringComparer.Ordinal);
        return new Outcome(sink.Hits, sink.Errors, plan.Tasks.Count, totals);
    }

    /// <summary>A resolver for s3:// names on <paramref name="endpoint"/> (s3rver, or a proxy in front of it), with short retry delays.</summary>
    public static SourceResolver Resolver(string? endpoint, RemoteOptions? options = null) =>
        new((options ?? new RemoteOptions()) with { S3Endpoint = endpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(100) },
            new BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey));

    /// <summary>The real archives the engine reads (SOURCES.md's WARC rows), as paths relative to the data folder.</summary>
    public static IReadOnlyList<string> RealArchives() =>
        SourcesTable.Entries.Where(e => e.IsWarc && EngineRead.Detect(RealData.Bytes(e.File), out _) is not null).Select(e => e.File).ToList();

    private static readonly Lazy<string> GeneratedDir = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"crawlgrep-remote-{Environment.ProcessId}");
        foreach (var (compression, ext) in new[] { (WarcCompression.Gzip, "warc.gz"), (WarcCompression.Zstd, "warc.zst"), (WarcCompression.Plain, "warc") })
        {
            Directory.CreateDirectory(dir);
            using var f = File.Create(Path.Combine(dir, $"CC-MAIN-20240517233122-20240518023122-0000{(int)compression}.{ext}"));
            new CorpusGenerator(new CorpusOptions { Seed = 11, TargetSize = 5L << 20, Kinds = CorpusKinds.Warc, Compression = compression }).Generate(f, null, null);
        }
        return dir;
    });

    /// <summary>A folder of generated CC-shaped archives (gzip per record, warc-zstd, plain; about 5 MB of WARC each), made once per test run.</summary>
    public static string Generated => GeneratedDir.Value;

    public static IReadOnlyList<string> GeneratedFiles => Directory.GetFiles(Generated).Order(StringComparer.Ordinal).ToList();

    private sealed class Collector : IHitSink
    {
        public readonly Dictionary<string, List<string>> Hits = new(StringComparer.Ordinal);
        public readonly Dictionary<string, string?> Errors = new(StringComparer.Ordinal);

        public void OnHit(Hit h)
        {
            lock (Hits)
            {
                if (!Hits.TryGetValue(h.File, out var list)) Hits[h.File] = list = new();
                list.Add($"{h.RecordOffset}|{h.RecordLength}|{h.RecordId}|{h.PatternIndex}|{h.MatchOffset}|{h.Match}|{h.Crawl}");
            }
        }

        public void OnWarning(ScanWarning warning) { }

        public void OnFileDone(FileScanResult result)
        {
            lock (Hits)
            {
                Hits.TryAdd(result.File, new());
                Errors[result.File] = result.Error;
            }
        }
    }
}
