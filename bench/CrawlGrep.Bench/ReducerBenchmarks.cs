using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Bench;

/// <summary>
/// The reducer's side of a Lambda scan: one million hits arriving as ten partial results (their wire form: zstd
/// JSON lines), decoded as they are committed into a fresh DuckDB file, a task per transaction, as the executor does;
/// beside DuckDB taking the same rows from a Parquet file on its own (its ceiling on this machine).
/// </summary>
[Config(typeof(Config))]
public class ReducerBenchmarks
{
    private const int Partials = 10, HitsPerPartial = 100_000;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1)
                .WithStrategy(RunStrategy.Monitoring));
            AddColumn(new RateColumn("k hits/s", "Thousands of hits per second, from the mean time", () => Partials * HitsPerPartial, 1e3));
        }
    }

    private byte[][] _wire = [];
    private ScanTask[] _tasks = [];
    private string _parquet = "";
    private string _dir = "";
    private ResultStore? _store;
    private long _scanId;

    [GlobalSetup]
    public void Setup()
    {
        _wire = Enumerable.Range(0, Partials).Select(Encode).ToArray();
        _tasks = _wire.Select(w =>
        {
            var (source, o) = PartialReader.Read(new MemoryStream(w), _ => { }, _ => { });
            return new ScanTask { Id = o.TaskId, Source = source, Start = o.Start, End = o.End, Format = o.Format, Spec = new ScanSpec { Patterns = new TaskPatterns { Items = ["the"] } } };
        }).ToArray();
        _dir = Directory.CreateTempSubdirectory("crawlgrep-reducer-bench-").FullName;
        // The same rows as Parquet, for DuckDB to take on its own.
        string db = Path.Combine(_dir, "parquet-source.duckdb");
        using (var store = new ResultStore(db))
        {
            var reducer = new DuckDbReducer(store, store.BeginScan(new ScanInfo("bench", ["the"], [])));
            for (int i = 0; i < Partials; i++) reducer.Commit(_tasks[i], () => new MemoryStream(_wire[i]), billing: null);
        }
        _parquet = Path.Combine(_dir, "hits.parquet");
        SqlRunner.Run(db, $"COPY (SELECT * EXCLUDE (scan_id) FROM hits) TO '{_parquet}' (FORMAT parquet)", readOnly: false);
        Console.WriteLine($"// {Partials} partials of {HitsPerPartial:N0} hits: {_wire.Sum(w => w.Length):N0} bytes on the wire");
    }

    [IterationSetup(Targets = [nameof(DuckDbAlone), nameof(DecodeAndCommit)])]
    public void FreshStore()
    {
        _store?.Dispose();
        string db = Path.Combine(_dir, $"r{Guid.NewGuid():N}.duckdb");
        _store = new ResultStore(db);
        _scanId = _store.BeginScan(new ScanInfo("bench", ["the"], ["s3://bench/"]));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "decode partials")]
    public long Decode()
    {
        long n = 0;
        foreach (var w in _wire) PartialReader.Read(new MemoryStream(w), _ => n++, _ => { });
        return n;
    }

    [Benchmark(Baseline = true, Description = "DuckDB alone: the same rows from Parquet")]
    public long DuckDbAlone()
    {
        using var conn = new DuckDB.NET.Data.DuckDBConnection($"Data Source={_store!.Path}");
        _store.Dispose(); // let go of the file: this connection takes it
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"INSERT INTO hits SELECT {_scanId}, * FROM read_parquet('{_parquet}')";
        return cmd.ExecuteNonQuery();
    }

    [Benchmark(Description = "the reducer: partials decoded as they are committed")]
    public long DecodeAndCommit()
    {
        var reducer = new DuckDbReducer(_store!, _scanId);
        for (int i = 0; i < Partials; i++) reducer.Commit(_tasks[i], () => new MemoryStream(_wire[i]), billing: null);
        return reducer.HitsWritten;
    }

    /// <summary>A partial of CC-like hits: distinct records and offsets, a few hosts and patterns, a line of context each.</summary>
    private static byte[] Encode(int task)
    {
        var random = new Random(task);
        string file = $"s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/CC-MAIN-20240517233122-20240518023122-{task:00000}.warc.gz";
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            long offset = 0;
            for (int i = 0; i < HitsPerPartial; i++)
            {
                if (i % 4 == 0) offset += 5_000 + random.Next(50_000);
                string host = $"www.site{random.Next(2_000)}.example.com";
                writer.OnHit(new Hit
                {
                    File = file, Crawl = "CC-MAIN-2024-22", RecordOffset = offset, RecordLength = 4_000 + random.Next(40_000), WarcType = "response",
                    RecordId = $"<urn:uuid:{new Guid(task, (short)(offset >> 16), (short)offset, new byte[8]):D}>",
                    WarcDate = new DateTime(2024, 5, 18, 0, 0, 0, DateTimeKind.Utc).AddSeconds(offset % 86_400),
                    TargetUri = $"https://{host}/articles/{offset}/page.html", Host = host, ContentType = "text/html",
                    PatternIndex = i % 3, Pattern = i % 3 == 0 ? "the" : "privacy", Match = i % 3 == 0 ? "The" : "privacy",
                    MatchOffset = 1_000 + i % 4 * 700, LineOffset = 900 + i % 4 * 700,
                    Context = $"... we use cookies on {host}: read the privacy policy for the details of item {random.Next(100_000)} and the rest ...",
                });
            }
            writer.Finish(file, new TaskOutcome($"{task:x16}", 0, offset, "warc.gz", new ScanStats { Hits = HitsPerPartial }, null, DateTime.UtcNow, DateTime.UtcNow));
        }
        return wire.ToArray();
    }
}
