using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;
using DuckDB.NET.Data;

namespace CrawlGrep.Tests.Results;

/// <summary>A result file written before the billing columns (and the plan) existed.</summary>
public class ResultFileMigrationTests
{
    /// <summary>The tables as the first releases made them, with one finished scan and its task.</summary>
    private static void WriteOldFile(string path)
    {
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"CREATE TABLE hits ({string.Join(", ", HitColumns.All.Select(c => $"{c.Name} {c.SqlType}"))});" + """
            CREATE TABLE scans (
                scan_id BIGINT PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR, command VARCHAR,
                patterns VARCHAR[], inputs VARCHAR[], files BIGINT, records BIGINT, compressed_bytes BIGINT,
                decoded_bytes BIGINT, hits BIGINT, warnings BIGINT, errors BIGINT
            );
            CREATE TABLE tasks (
                scan_id BIGINT, task_id VARCHAR, source VARCHAR, range_start BIGINT, range_end BIGINT, format VARCHAR,
                status VARCHAR, error VARCHAR, records BIGINT, hits BIGINT, compressed_bytes BIGINT,
                started_at TIMESTAMP, finished_at TIMESTAMP
            );
            INSERT INTO scans VALUES (1, TIMESTAMP '2025-01-02 03:04:05', TIMESTAMP '2025-01-02 03:05:00', 'complete',
                'crawlgrep needle a.warc.gz', ['needle'], ['a.warc.gz'], 1, 40, 1000, 5000, 0, 0, 0);
            INSERT INTO tasks VALUES (1, '00000000000000aa', 'a.warc.gz', 0, 1000, 'warc.gz', 'done', NULL, 40, 0, 1000,
                TIMESTAMP '2025-01-02 03:04:05', TIMESTAMP '2025-01-02 03:05:00');
            """;
        cmd.ExecuteNonQuery();
    }

    private static string[] Columns(string db, string table) =>
        SqlRunner.Run(db, $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position")
            .Rows.Select(r => (string)r[0]!).ToArray();

    [Fact]
    public void An_old_file_gains_the_billing_columns_in_a_new_files_order_and_keeps_its_rows()
    {
        using var dir = new TempDir();
        var old = dir.File("old.duckdb");
        WriteOldFile(old);
        Assert.DoesNotContain("cost_usd", Columns(old, "tasks"));

        using (var store = new ResultStore(old))
        {
            var scanId = store.BeginScan(new ScanInfo("crawlgrep --lambda f needle", ["needle"], ["s3://b/a.warc.gz"]));
            var task = BillingStoreTests.Task("s3://b/a.warc.gz", 0, 1000);
            Assert.NotNull(new DuckDbReducer(store, scanId).Commit(task, () => new MemoryStream(BillingStoreTests.Wire(task, 2)), BillingStoreTests.Warm));
            store.FinishScan(scanId, new ScanStats { Files = 1, Hits = 2 }, ScanStatus.Complete, new ScanBilling(1, 800, 1.4, 0.0000233));
        }
        using (new ResultStore(dir.File("new.duckdb"))) { }
        // One column order, old file or new: a statement that writes by position works on both.
        Assert.Equal(Columns(dir.File("new.duckdb"), "tasks"), Columns(old, "tasks"));
        Assert.Equal(Columns(dir.File("new.duckdb"), "scans"), Columns(old, "scans"));

        var tasks = SqlRunner.Run(old, "SELECT scan_id, records, invocations, billed_ms, memory_mb, cost_usd FROM tasks ORDER BY scan_id").Rows;
        Assert.Equal([1L, 40L, null, null, null, null], tasks[0]);
        Assert.Equal([2L, 2L, 1, 800L, 1769, 0.0000233], tasks[1]);
        var scans = SqlRunner.Run(old, "SELECT scan_id, status, records, invocations, billed_ms, gb_seconds, cost_usd FROM scans ORDER BY scan_id").Rows;
        Assert.Equal([1L, "complete", 40L, null, null, null, null], scans[0]);
        Assert.Equal([2L, "complete", 0L, 1L, 800L, 1.4, 0.0000233], scans[1]);
    }

    [Fact]
    public void An_old_files_hits_table_becomes_records_and_matches_behind_the_same_hits_view()
    {
        using var dir = new TempDir();
        var old = dir.File("old.duckdb");
        WriteOldFile(old);
        using (var connection = new DuckDBConnection($"Data Source={old}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO hits VALUES
                    (1, 'CC-MAIN-2024-22', 'a.warc.gz', 0, 500, 'response', '<urn:uuid:1>', TIMESTAMP '2024-05-18 00:00:00',
                     'https://a.example/', 'a.example', 'text/html', 0, 'needle', 'needle', 10, 'a needle here'),
                    (1, 'CC-MAIN-2024-22', 'a.warc.gz', 0, 500, 'response', '<urn:uuid:1>', TIMESTAMP '2024-05-18 00:00:00',
                     'https://a.example/', 'a.example', 'text/html', 0, 'needle', 'needle', 90, 'another needle'),
                    (1, NULL, 'a.warc.gz', 500, 400, 'resource', NULL, NULL, NULL, NULL, NULL, 0, 'needle', 'needle', 3, 'needle');
                """;
            cmd.ExecuteNonQuery();
        }
        string all = "SELECT * FROM hits ORDER BY ALL";
        var before = SqlRunner.Run(old, all, readOnly: true).Rows;
        Assert.Equal(3, before.Count);

        using (var store = new ResultStore(old))
        {
            var scanId = store.BeginScan(new ScanInfo("crawlgrep needle b.warc.gz", ["needle"], ["b.warc.gz"]));
            var task = new TaskRecord("00000000000000bb", "b.warc.gz", 0, 100, "warc.gz", TaskRecord.Done, null, 1, 1, 100, null, null);
            var hit = new Hit { File = "b.warc.gz", RecordOffset = 0, RecordLength = 100, Pattern = "needle", Match = "needle", Context = "one needle" };
            Assert.True(store.CommitTask(scanId, task, [hit]));
        }
        Assert.Equal("VIEW", SqlRunner.Run(old, "SELECT table_type FROM information_schema.tables WHERE table_name = 'hits'").Rows[0][0]);
        var after = SqlRunner.Run(old, all, readOnly: true).Rows;
        Assert.Equal(before, after.Where(r => (long)r[0]! == 1).ToList());
        var added = Assert.Single(after, r => (long)r[0]! == 2);
        Assert.Equal(["b.warc.gz", "one needle"], [added[2], added[15]]);
        // The hits of a task that runs again give way: the old file's records and matches are removable like new ones.
        using (var store = new ResultStore(old))
            store.BeginResume(1, [("00000000000000aa", "a.warc.gz", 0, 1000)]);
        Assert.Equal(0L, SqlRunner.Run(old, "SELECT count(*) FROM hit_matches WHERE scan_id = 1").Rows[0][0]);
        Assert.Equal(0L, SqlRunner.Run(old, "SELECT count(*) FROM hit_records WHERE scan_id = 1").Rows[0][0]);
    }

    [Fact]
    public void The_cost_query_reads_an_old_file_that_was_never_opened_for_writing()
    {
        using var dir = new TempDir();
        var old = dir.File("old.duckdb");
        WriteOldFile(old);
        var cost = SqlRunner.Run(old, NamedQueries.Find("cost", [SqlAndExportTests.QueriesFolder()])!.ReadSql(), readOnly: true);
        var row = Assert.Single(cost.Rows);
        Assert.Equal([1L, "complete", 1L, 0L, 0L], row[..5]);
        Assert.All(row[5..], v => Assert.Equal(0.0, Convert.ToDouble(v)));
        Assert.DoesNotContain("cost_usd", Columns(old, "tasks")); // read, not changed
    }

    /// <summary>Commits <paramref name="count"/> hits with contexts of words in varied order (text FSST or zstd can compress).</summary>
    private static void CommitHits(string db, int count)
    {
        using var store = new ResultStore(db);
        long scanId = store.BeginScan(new ScanInfo("crawlgrep x", ["x"], ["in.warc.gz"]));
        string[] words = ["the", "needle", "crawl", "archive", "record", "header", "<div class=\"menu\">", "</a></li>"];
        var hits = Enumerable.Range(0, count).Select(i => ResultsData.MakeHit(i, "in.warc.gz") with
        {
            Context = string.Join(' ', Enumerable.Range(0, 12).Select(k => words[(i * 7 + k * k + i / 3) % words.Length])) + $" {i}",
        }).ToList();
        Assert.True(new DuckDbReducer(store, scanId).Commit(ResultsData.Partial("in.warc.gz", TaskRecord.ComputeId("in.warc.gz", 0, 100), hits)));
    }

    private static string StorageVersion(string db) =>
        (string)SqlRunner.Run(db, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()").Rows[0][0]!;

    /// <summary>
    /// How the file stores the contexts, after a checkpoint: rows still in the write-ahead log (a commit smaller than a
    /// row group goes there) are uncompressed until one.
    /// </summary>
    private static string[] ContextCompressions(string db)
    {
        SqlRunner.Run(db, "CHECKPOINT");
        return SqlRunner.Run(db, "SELECT DISTINCT compression FROM pragma_storage_info('hit_matches') WHERE column_name = 'context' AND segment_type = 'VARCHAR' ORDER BY 1")
            .Rows.Select(r => (string)r[0]!).ToArray();
    }

    [Fact]
    public void A_new_file_is_made_in_DuckDB_1_2s_format_with_its_contexts_in_zstd()
    {
        using var dir = new TempDir();
        var db = dir.File("new.duckdb");
        CommitHits(db, 5_000);
        Assert.Equal("v1.2.0+", StorageVersion(db));
        Assert.Equal(["ZSTD"], ContextCompressions(db));
        Assert.Equal(5_000L, SqlRunner.Run(db, "SELECT count(DISTINCT context) FROM hits").Rows[0][0]);
    }

    [Fact]
    public void An_old_format_file_keeps_its_format_and_its_contexts_compressed_as_that_format_can()
    {
        using var dir = new TempDir();
        var old = dir.File("old.duckdb");
        WriteOldFile(old); // its hits table is moved into the two tables, made in the old format
        CommitHits(old, 5_000);
        Assert.Equal("v1.0.0+", StorageVersion(old));
        var compressions = ContextCompressions(old);
        Assert.NotEmpty(compressions);
        Assert.DoesNotContain("Uncompressed", compressions); // what zstd asked of an older format would give
        Assert.DoesNotContain("ZSTD", compressions);
    }

    [Theory]
    [InlineData("v1.2.0+", true)]
    [InlineData("v1.5.0+", true)]
    [InlineData("v1.10.0+", true)]
    [InlineData("v1.0.0+", false)]
    [InlineData("v0.10.2+", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_storage_version_tag_is_compared_as_a_version(string? tag, bool atLeast12) =>
        Assert.Equal(atLeast12, ResultStore.StorageVersionAtLeast(tag, "v1.2.0"));
}
