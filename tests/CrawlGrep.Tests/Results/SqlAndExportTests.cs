using CrawlGrep.Core.Results;

namespace CrawlGrep.Tests.Results;

public class SqlAndExportTests
{
    [Fact]
    public void Bad_statement_gives_a_one_line_error()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 5);
        var e = Assert.Throws<ResultStoreException>(() => SqlRunner.Run(db, "SELECT nope FROM hits"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("nope", e.Message);
        var p = Assert.Throws<ResultStoreException>(() => SqlRunner.Run(db, "SELEC 1"));
        Assert.DoesNotContain('\n', p.Message);
        Assert.StartsWith("Parser Error", p.Message);
    }

    [Fact]
    public void Missing_database_is_an_error_and_is_not_created()
    {
        using var dir = new TempDir();
        var db = dir.File("none.duckdb");
        var e = Assert.Throws<ResultStoreException>(() => SqlRunner.Run(db, "SELECT 1"));
        Assert.Contains("none.duckdb", e.Message);
        Assert.False(File.Exists(db));
        Assert.Throws<ResultStoreException>(() => ResultExporter.Export(db, "csv", dir.File("x.csv"), null));
    }

    [Fact]
    public void Last_statement_result_is_returned()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 5);
        var r = SqlRunner.Run(db, "CREATE VIEW v AS SELECT host FROM hits; SELECT count(*) AS n FROM v");
        Assert.Equal(["n"], r.Columns);
        Assert.Equal(10L, r.Rows[0][0]);
    }

    [Fact]
    public void Parquet_export_reads_back_with_types()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 300);
        var all = dir.File("all hits.parquet");
        var one = dir.File("scan'2.parquet"); // a quote in the path must be escaped
        Assert.Equal(600, ResultExporter.Export(db, "parquet", all, null));
        Assert.Equal(300, ResultExporter.Export(db, "PARQUET", one, 2));
        // A scan the file does not hold is an error, not an empty export.
        var missing = dir.File("none.parquet");
        Assert.Contains("no scan 3", Assert.Throws<ResultStoreException>(() => ResultExporter.Export(db, "parquet", missing, 3)).Message);
        Assert.False(File.Exists(missing));

        var path = ResultExporter.QuoteLiteral(one);
        var r = SqlRunner.Run(db, $"""
            SELECT count(*), min(scan_id), max(scan_id), count(warc_date), max(record_offset),
                   any_value(typeof(record_offset)), any_value(typeof(warc_date)), any_value(typeof(pattern_index))
            FROM read_parquet({path})
            """);
        Assert.Equal([300L, 2L, 2L, (long)Enumerable.Range(0, 300).Count(i => i % 7 != 0), 5_000_000_000L + 299_000L,
                      "BIGINT", "TIMESTAMP", "INTEGER"], r.Rows[0]);
        Assert.Equal(600L, SqlRunner.Run(db, $"SELECT count(*) FROM read_parquet({ResultExporter.QuoteLiteral(all)})").Rows[0][0]);
        var cols = SqlRunner.Run(db, $"SELECT name FROM parquet_schema({path}) WHERE name <> 'duckdb_schema'");
        Assert.Equal(ResultExporter.HitColumns.Split(", "), cols.Rows.Select(x => (string)x[0]!));
    }

    [Fact]
    public void Csv_export_has_a_header_and_quotes_fields()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 20);
        var csv = dir.File("hits.csv");
        Assert.Equal(20, ResultExporter.Export(db, "csv", csv, 1));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(ResultExporter.HitColumns.Replace(" ", ""), lines[0]);
        Assert.Equal(21, lines.Length);
        var back = SqlRunner.Run(db, $"SELECT count(*), count(DISTINCT context) FROM read_csv({ResultExporter.QuoteLiteral(csv)}, header = true)");
        Assert.Equal([20L, 20L], back.Rows[0]);
    }

    [Fact]
    public void Export_rejects_unknown_format()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 1);
        Assert.Throws<ResultStoreException>(() => ResultExporter.Export(db, "xlsx", dir.File("x.xlsx"), null));
    }

    [Fact]
    public void Named_queries_all_run_on_a_populated_database()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 200);
        var queries = NamedQueries.List([QueriesFolder()]);
        Assert.Contains(queries, q => q.Name == "top-hosts");
        Assert.Contains(queries, q => q.Name == "hits-per-crawl");
        Assert.Contains(queries, q => q.Name == "matches-per-pattern");
        Assert.Contains(queries, q => q.Name == "contexts-per-host");
        foreach (var q in queries)
        {
            Assert.False(string.IsNullOrWhiteSpace(q.Description), $"{q.Name} has no description");
            Assert.StartsWith("-- ", File.ReadAllLines(q.Path)[0]);
            if (NamedQuery.ParametersOf(q.ReadSql()) is [_, ..] parameters)
            {
                // A query over a research job's results (tests/CrawlGrep.Tests/Jobs has its numbers): it runs, on no job.
                Assert.Equal(["job"], parameters);
                SqlRunner.Run(db, q.ReadSql(), parameters: new Dictionary<string, object?> { ["job"] = "none" });
                continue;
            }
            var r = SqlRunner.Run(db, q.ReadSql());
            Assert.True(r.Rows.Count > 0, $"{q.Name} returned no rows");
        }
        var contexts = SqlRunner.Run(db, NamedQueries.Find("contexts-per-host", [QueriesFolder()])!.ReadSql());
        Assert.All(contexts.Rows.GroupBy(x => x[0]), g => Assert.InRange(g.Count(), 1, 3));
    }

    [Fact]
    public void Named_query_lookup_rejects_paths()
    {
        Assert.Null(NamedQueries.Find("../top-hosts", [QueriesFolder()]));
        Assert.NotNull(NamedQueries.Find("top-hosts.sql", [QueriesFolder()]));
    }

    /// <summary>The queries copied next to the build output, as the installed tool finds them.</summary>
    internal static string QueriesFolder()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, NamedQueries.FolderName);
        Assert.True(Directory.Exists(beside), $"queries not copied to the output folder");
        return beside;
    }
}
