using System.Numerics;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Results;

public class ResultStoreTests
{
    [Fact]
    public void Sink_round_trip_keeps_counts_types_and_nulls()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        const int threads = 4, perThread = 2500;
        long scanId;
        using (var store = new ResultStore(db))
        {
            scanId = store.BeginScan(new ScanInfo("crawlgrep -e needle", ResultsData.Patterns, ["in/*.warc.gz", "it's.warc"]));
            using var sink = new DuckDbHitSink(store, scanId, bufferSize: 1000);
            Parallel.For(0, threads, t =>
            {
                for (var i = 0; i < perThread; i++) sink.OnHit(ResultsData.MakeHit(t * perThread + i, $"file{t}.warc.gz"));
                sink.OnFileDone(new FileScanResult($"file{t}.warc.gz",
                    new ScanStats { Records = 100 + t, Hits = perThread, CompressedBytes = 12345 }, null, "warc.gz"));
            });
            sink.OnFileDone(new FileScanResult("missing.warc.gz", new ScanStats(), "no such file", "unknown"));
            sink.Flush();
            Assert.Equal(threads * perThread, sink.HitsWritten);
            Assert.Equal(threads + 1, sink.TasksRecorded);
            store.FinishScan(scanId, new ScanStats { Files = 5, Records = 406, Hits = threads * perThread, Errors = 1 }, ScanStatus.Incomplete);
        }

        var counts = SqlRunner.Run(db, "SELECT count(*), count(DISTINCT file), count(crawl), count(warc_date), count(host) FROM hits WHERE scan_id = " + scanId);
        var total = threads * perThread;
        Assert.Equal((long)total, counts.Rows[0][0]);
        Assert.Equal(4L, counts.Rows[0][1]);
        Assert.Equal((long)Enumerable.Range(0, total).Count(i => i % 10 != 0), counts.Rows[0][2]);
        Assert.Equal((long)Enumerable.Range(0, total).Count(i => i % 7 != 0), counts.Rows[0][3]);
        Assert.Equal((long)Enumerable.Range(0, total).Count(i => i % 11 != 0), counts.Rows[0][4]);

        // Typed values of one row: BIGINT beyond 4 GiB, TIMESTAMP, INTEGER, and NULLs.
        var expected = ResultsData.MakeHit(2501, "file1.warc.gz");
        var row = SqlRunner.Run(db, """
            SELECT record_offset, record_length, warc_date, pattern_index, match_offset, crawl, content_type,
                   typeof(record_offset), typeof(warc_date), typeof(pattern_index), record_id, context, target_uri
            FROM hits WHERE record_id = '<urn:uuid:000009c5-0000-0000-0000-000000000000>'
            """);
        Assert.Single(row.Rows);
        var r = row.Rows[0];
        Assert.Equal(expected.RecordOffset, Assert.IsType<long>(r[0]));
        Assert.Equal(expected.RecordLength, Assert.IsType<long>(r[1]));
        Assert.Equal(expected.WarcDate, Assert.IsType<DateTime>(r[2]));
        Assert.Equal(1, Assert.IsType<int>(r[3]));
        Assert.Equal(expected.MatchOffset, r[4]);
        Assert.Equal("CC-MAIN-2024-18", r[5]);
        Assert.Equal("text/html", r[6]);
        Assert.Equal(["BIGINT", "TIMESTAMP", "INTEGER"], new[] { r[7], r[8], r[9] });
        Assert.Equal(expected.RecordId, r[10]);
        Assert.Equal(expected.Context, r[11]);
        Assert.Equal(expected.TargetUri, r[12]);

        var nulls = SqlRunner.Run(db, "SELECT crawl, warc_date, host, content_type FROM hits WHERE record_offset = 5000000000 + 770 * 1000");
        Assert.All(nulls.Rows[0], Assert.Null); // i = 770: divisible by 10, 7, 11 and 5

        var tasks = SqlRunner.Run(db, "SELECT source, status, error, records, hits, compressed_bytes, task_id, started_at IS NOT NULL, finished_at FROM tasks ORDER BY source");
        Assert.Equal(threads + 1, tasks.Rows.Count);
        Assert.Equal(["file0.warc.gz", "done", null, 100L, (long)perThread, 12345L], tasks.Rows[0][..6]);
        Assert.Equal(true, tasks.Rows[0][7]);
        Assert.IsType<DateTime>(tasks.Rows[0][8]);
        var failed = tasks.Rows.Single(t => (string)t[0]! == "missing.warc.gz");
        Assert.Equal("failed", failed[1]);
        Assert.Equal("no such file", failed[2]);
        Assert.Equal(16, ((string)tasks.Rows[0][6]!).Length);
        Assert.Equal(TaskRecord.ComputeId("file0.warc.gz", 0, 12345), tasks.Rows[0][6]);

        var scan = SqlRunner.Run(db, "SELECT status, patterns, inputs, files, records, hits, errors, finished_at >= started_at FROM scans");
        var s = scan.Rows.Single();
        Assert.Equal("incomplete", s[0]);
        Assert.Equal(ResultsData.Patterns, Assert.IsAssignableFrom<IEnumerable<string>>(s[1]));
        Assert.Equal(new[] { "in/*.warc.gz", "it's.warc" }, Assert.IsAssignableFrom<IEnumerable<string>>(s[2]));
        Assert.Equal([5L, 406L, (long)total, 1L, true], s[3..]);
    }

    [Fact]
    public void Scan_ids_increment_across_reopen()
    {
        using var dir = new TempDir();
        var db = dir.File("sub/dir/r.duckdb"); // parent folders are created
        using (var store = new ResultStore(db))
        {
            Assert.Equal(1, store.BeginScan(new ScanInfo("a", ["x"], [])));
            Assert.Equal(2, store.BeginScan(new ScanInfo("b", ["y"], [])));
        }
        using (var store = new ResultStore(db))
        {
            Assert.Equal(3, store.BeginScan(new ScanInfo("c", [], ["in"])));
            store.FinishScan(3, new ScanStats(), ScanStatus.Complete);
            Assert.Throws<ResultStoreException>(() => store.FinishScan(99, new ScanStats(), ScanStatus.Complete));
        }
        var r = SqlRunner.Run(db, "SELECT scan_id, status FROM scans ORDER BY scan_id");
        Assert.Equal([1L, 2L, 3L], r.Rows.Select(x => x[0]));
        Assert.Equal(["running", "running", "complete"], r.Rows.Select(x => x[1]));
    }

    [Fact]
    public void Hits_of_a_file_are_stored_before_its_task_row()
    {
        using var dir = new TempDir();
        using var store = new ResultStore(dir.File("r.duckdb"));
        var id = store.BeginScan(new ScanInfo("t", ["needle"], []));
        using var sink = new DuckDbHitSink(store, id, bufferSize: 1_000_000);
        for (var i = 0; i < 10; i++) sink.OnHit(ResultsData.MakeHit(i, "f.warc"));
        Assert.Equal(0, sink.HitsWritten);
        sink.OnFileDone(new FileScanResult("f.warc", new ScanStats { Hits = 10 }, null, "warc"));
        Assert.Equal(10, sink.HitsWritten);
    }

    [Fact]
    public void Sink_dispose_flushes_and_can_own_the_store()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        var store = new ResultStore(db);
        var id = store.BeginScan(new ScanInfo("t", ["needle"], []));
        using (var sink = new DuckDbHitSink(store, id, ownsStore: true))
            for (var i = 0; i < 3; i++) sink.OnHit(ResultsData.MakeHit(i));
        Assert.Throws<ObjectDisposedException>(() => store.BeginScan(new ScanInfo("t", [], [])));
        Assert.Equal(3L, SqlRunner.Run(db, "SELECT count(*) FROM hits").Rows[0][0]);
    }

    [Fact]
    public void Task_id_is_short_and_stable()
    {
        var a = TaskRecord.ComputeId("s3://commoncrawl/x.warc.gz", 0, 1000);
        Assert.Equal(a, TaskRecord.ComputeId("s3://commoncrawl/x.warc.gz", 0, 1000));
        Assert.NotEqual(a, TaskRecord.ComputeId("s3://commoncrawl/x.warc.gz", 0, 1001));
        Assert.Matches("^[0-9a-f]{16}$", a);
    }

    [Fact]
    public void Sum_of_bigint_comes_back_as_BigInteger()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 10);
        var r = SqlRunner.Run(db, "SELECT sum(record_offset) AS s FROM hits");
        Assert.Equal("s", r.Columns[0]);
        Assert.IsType<BigInteger>(r.Rows[0][0]);
    }
}
