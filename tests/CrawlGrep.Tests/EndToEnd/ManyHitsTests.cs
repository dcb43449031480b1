using System.Diagnostics;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Results;
using CrawlGrep.Tests.Results;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>
/// A broad pattern over a generated corpus (hundreds of thousands of hits, many tasks committed while others are
/// scanned): the hits recorded in DuckDB are exactly those --json prints, --json prints the same with and without a
/// database, and -c counts the same lines either way.
/// </summary>
public sealed class ManyHitsTests
{
    private static readonly string[] HitColumnNames =
        ["scan_id", "crawl", "file", "record_offset", "record_length", "warc_type", "record_id", "warc_date", "target_uri", "host", "content_type", "pattern_index", "pattern", "match", "match_offset", "context"];

    private static readonly string Columns = string.Join(", ", HitColumnNames.Select(c => $"{c}: '{(c is "record_offset" or "record_length" or "match_offset" or "scan_id" ? "BIGINT" : c == "pattern_index" ? "INTEGER" : "VARCHAR")}'"));

    [Fact]
    public void Database_json_and_count_agree_on_many_hits()
    {
        using var dir = new TempDir();
        var corpus = new CorpusGenerator(new CorpusOptions { Seed = 3, TargetSize = 64 << 20, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Gzip })
            .Generate(dir.File("corpus"));
        string input = corpus.Files.Single().Path!;
        string db = dir.File("r.duckdb"), withDb = dir.File("db.jsonl"), withoutDb = dir.File("nodb.jsonl");

        // Small tasks, so many finish (and wait for the writer) while others are scanned.
        Assert.Equal(0, RunTo(withDb, "-i", "the", "--json", "--db", db, "-j", "2", "--split", "2M", "--no-progress", input));
        Assert.Equal(0, RunTo(withoutDb, "-i", "the", "--json", "--no-db", "-j", "2", "--no-progress", input));

        // The same lines in the same order, but for the scan id.
        long lines = 0;
        using (var a = new StreamReader(withDb))
        using (var b = new StreamReader(withoutDb))
        {
            while (a.ReadLine() is { } x)
            {
                var y = b.ReadLine();
                Assert.NotNull(y);
                Assert.StartsWith("{\"scan_id\":1,", x);
                Assert.StartsWith("{\"scan_id\":null,", y);
                if (x["{\"scan_id\":1,".Length..] != y["{\"scan_id\":null,".Length..]) Assert.Fail($"line {lines + 1} differs:\n{x}\n{y}");
                lines++;
            }
            Assert.Null(b.ReadLine());
        }
        Assert.True(lines > 150_000, $"{lines} hits");

        // The hits table holds exactly the hits printed, no more, no fewer, no other.
        string json = $"read_json('{withDb.Replace("'", "''")}', format = 'newline_delimited', columns = {{{Columns}}})";
        string table = $"SELECT {string.Join(", ", HitColumnNames.Select(c => c == "warc_date" ? "strftime(warc_date, '%Y-%m-%dT%H:%M:%SZ') AS warc_date" : c))} FROM hits";
        Assert.Equal(lines, Convert.ToInt64(SqlRunner.Run(db, "SELECT count(*) FROM hits").Rows[0][0]));
        Assert.Equal(lines, Convert.ToInt64(SqlRunner.Run(db, "SELECT hits FROM scans").Rows[0][0]));
        Assert.Equal(lines, Convert.ToInt64(SqlRunner.Run(db, "SELECT sum(hits)::BIGINT FROM tasks WHERE status = 'done'").Rows[0][0]));
        Assert.Equal(0L, Convert.ToInt64(SqlRunner.Run(db, $"SELECT count(*) FROM ({table} EXCEPT ALL SELECT * FROM {json})").Rows[0][0]));
        Assert.Equal(0L, Convert.ToInt64(SqlRunner.Run(db, $"SELECT count(*) FROM (SELECT * FROM {json} EXCEPT ALL {table})").Rows[0][0]));
        Assert.Equal("complete", SqlRunner.Run(db, "SELECT status FROM scans").Rows[0][0]);

        // -c counts the same matching lines whether it records the hits (all of them kept) or only counts lines.
        string countedDb = dir.File("c.out"), counted = dir.File("c-nodb.out");
        Assert.Equal(0, RunTo(countedDb, "-i", "the", "-c", "--db", dir.File("c.duckdb"), "-j", "2", "--split", "2M", "--no-progress", input));
        Assert.Equal(0, RunTo(counted, "-i", "the", "-c", "--no-db", "-j", "2", "--no-progress", input));
        Assert.Equal(File.ReadAllText(counted), File.ReadAllText(countedDb));
        long n = long.Parse(File.ReadAllText(counted).Trim());
        Assert.True(n > 0 && n <= lines, $"{n} lines for {lines} hits");
        Assert.Equal(lines, Convert.ToInt64(SqlRunner.Run(dir.File("c.duckdb"), "SELECT count(*) FROM hits").Rows[0][0]));
    }

    /// <summary>Runs crawlgrep with its standard output written to <paramref name="file"/> (hundreds of MB: not kept in memory); returns the exit code.</summary>
    private static int RunTo(string file, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        using var output = File.Create(file);
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(true);
            throw new TimeoutException($"crawlgrep {string.Join(' ', args)} did not finish");
        }
        copy.Wait();
        Assert.True(stderr.Result.Length == 0, $"crawlgrep {string.Join(' ', args)}: {stderr.Result}");
        return p.ExitCode;
    }
}
