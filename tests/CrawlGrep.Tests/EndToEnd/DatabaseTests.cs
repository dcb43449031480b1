using CrawlGrep.Tests.Conformance;
using System.Text.Json;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>A scan's hits land in DuckDB and come back through crawlgrep sql / query / export.</summary>
public class DatabaseTests
{
    private static readonly string Whirlwind = RealData.PathOf("whirlwind-python/whirlwind.warc.gz");
    private static readonly string Wet = RealData.PathOf("whirlwind-python/whirlwind.warc.wet.gz");

    [Fact]
    public void Scan_writes_scans_tasks_and_hits_that_sql_reads_back()
    {
        using var tmp = new TempDir();
        var json = Cli.Run(tmp.Path, "--no-db", "--json", "Escopete", Whirlwind, Wet);
        var scan = Cli.Run(tmp.Path, "--db", "hits.duckdb", "Escopete", Whirlwind, Wet);
        Assert.Equal(0, scan.ExitCode);
        Assert.True(File.Exists(tmp.File("hits.duckdb")));

        var count = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--csv", "SELECT count(*) AS n FROM hits");
        Assert.Equal(0, count.ExitCode);
        Assert.Equal(["n", json.Lines.Length.ToString()], count.Lines);

        var types = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--csv",
            "SELECT typeof(record_offset), typeof(record_length), typeof(warc_date), typeof(match_offset) FROM hits LIMIT 1");
        Assert.Equal("BIGINT,BIGINT,TIMESTAMP,BIGINT", types.Lines[1]);

        // Same hits as --json, row for row.
        var rows = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--json",
            "SELECT file, record_offset, record_length, record_id, match_offset FROM hits ORDER BY file, record_offset, match_offset");
        var fromDb = rows.Lines.Select(l => JsonDocument.Parse(l).RootElement).Select(e =>
            $"{e.GetProperty("file").GetString()}|{e.GetProperty("record_offset").GetInt64()}|{e.GetProperty("record_length").GetInt64()}|{e.GetProperty("record_id").GetString()}|{e.GetProperty("match_offset").GetInt64()}").ToList();
        var fromJson = json.Lines.Select(l => JsonDocument.Parse(l).RootElement).Select(e =>
            $"{e.GetProperty("file").GetString()}|{e.GetProperty("record_offset").GetInt64()}|{e.GetProperty("record_length").GetInt64()}|{e.GetProperty("record_id").GetString()}|{e.GetProperty("match_offset").GetInt64()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(fromJson, fromDb.Order(StringComparer.Ordinal).ToList());

        var scans = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--csv", "SELECT scan_id, status, hits, files FROM scans");
        Assert.Equal($"1,complete,{json.Lines.Length},2", scans.Lines[1]);
        var tasks = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--csv", "SELECT count(*), min(status), max(status) FROM tasks WHERE scan_id = 1");
        Assert.Equal("2,done,done", tasks.Lines[1]);

        // A second scan gets the next id.
        Cli.Run(tmp.Path, "--db", "hits.duckdb", "Guadalajara", Whirlwind);
        var ids = Cli.Run(tmp.Path, "sql", "--db", "hits.duckdb", "--csv", "SELECT max(scan_id) FROM scans");
        Assert.Equal("2", ids.Lines[1]);
    }

    [Fact]
    public async Task Scans_recording_into_one_file_at_once_all_complete_with_all_their_hits()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        string[] patterns = ["the", "Escopete", "[0-9]{4}", "http"];
        var expected = patterns.Select(p => Cli.Run(tmp.Path, "--no-db", "--json", "-i", p, Whirlwind, Wet).Lines.Length).ToList();
        // Four processes, each holding the file in turn as its tasks finish (DuckDB lets one process at a time open it).
        var runs = await Task.WhenAll(patterns.Select(p => Task.Run(() => Cli.Run(tmp.Path, "--db", "shared.duckdb", "--split", "64K", "-c", "-i", p, Whirlwind, Wet))));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stderr));
        var rows = Cli.Run(tmp.Path, "sql", "--db", "shared.duckdb", "--csv",
            "SELECT s.patterns[1], s.status, s.hits, (SELECT count(*) FROM hits h WHERE h.scan_id = s.scan_id), " +
            "(SELECT count(*) - count(DISTINCT task_id) FROM tasks t WHERE t.scan_id = s.scan_id) FROM scans s ORDER BY s.patterns[1]");
        Assert.Equal(patterns.Zip(expected).Select(x => $"{x.First},complete,{x.Second},{x.Second},0").Order(StringComparer.Ordinal), rows.Lines.Skip(1));
        Assert.Equal("4,4", Cli.Run(tmp.Path, "sql", "--db", "shared.duckdb", "--csv", "SELECT count(*), count(DISTINCT scan_id) FROM scans").Lines[1]);
    }

    [Fact]
    public void Named_queries_export_and_sql_errors()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Cli.Run(tmp.Path, "-e", "Escopete", "-e", "wiki", RealData.PathOf("whirlwind-python/whirlwind.warc"), Wet).ExitCode);
        Assert.True(File.Exists(tmp.File("crawlgrep.duckdb")), "the default database is ./crawlgrep.duckdb");

        foreach (var name in new[] { "top-hosts", "hits-per-crawl", "matches-per-pattern", "contexts-per-host" })
        {
            var q = Cli.Run(tmp.Path, "query", name, "--csv");
            Assert.True(q.ExitCode == 0, $"{name}: {q.Stderr}");
            Assert.True(q.Lines.Length >= 2, $"{name} returned no rows");
        }
        Assert.Contains("an.wikipedia.org", Cli.Run(tmp.Path, "query", "top-hosts").Stdout);
        Assert.Contains("CC-MAIN-2024-22", Cli.Run(tmp.Path, "query", "hits-per-crawl").Stdout);

        var export = Cli.Run(tmp.Path, "export", "--format", "parquet", "hits.parquet");
        Assert.Equal(0, export.ExitCode);
        var back = Cli.Run(tmp.Path, "sql", "--csv", "SELECT (SELECT count(*) FROM read_parquet('hits.parquet')) = (SELECT count(*) FROM hits)");
        Assert.Equal("true", back.Lines[1]);
        Assert.Equal(0, Cli.Run(tmp.Path, "export", "--format", "csv", "--scan", "1", "hits.csv").ExitCode);
        Assert.StartsWith("scan_id,", File.ReadLines(tmp.File("hits.csv")).First());

        // "-" is standard output (CSV unless --format says otherwise), not a file named "-".
        var csv = Cli.Run(tmp.Path, "export", "-");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        long total = long.Parse(Cli.Run(tmp.Path, "sql", "--csv", "SELECT count(*) FROM hits").Lines[1]);
        Assert.StartsWith("scan_id,", csv.Lines[0]);
        Assert.Equal(File.ReadAllText(tmp.File("hits.csv")), csv.Stdout); // one scan in the file: the same rows
        Assert.Equal(total, File.ReadLines(tmp.File("hits.csv")).LongCount() - 1);
        Assert.Contains($"exported {total} hits to standard output", csv.Stderr);
        var parquet = Cli.Run(tmp.Path, "export", "-", "--format", "parquet");
        Assert.Equal(0, parquet.ExitCode);
        Assert.StartsWith("PAR1", parquet.Stdout);
        Assert.False(File.Exists(tmp.File("-")));

        var bad = Cli.Run(tmp.Path, "sql", "SELEC nonsense FROM hits");
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("crawlgrep: sql:", bad.Stderr);
        var unknown = Cli.Run(tmp.Path, "query", "no-such-query");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("top-hosts", unknown.Stderr);
    }
}
