using System.Numerics;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Results;

public class ResultStoreTests
{
    [Fact]
    public async Task A_store_that_keeps_writing_lets_in_another_process_that_waits_for_the_file()
    {
        using var dir = new TempDir();
        var db = dir.File("w.duckdb");
        using var store = new ResultStore(db);
        long scanId = store.BeginScan(new ScanInfo("crawlgrep x", ["x"], ["in.warc.gz"]));
        var reducer = new DuckDbReducer(store, scanId);
        // A task committed every 20 ms until the other process has read (three minutes at most): the file is never idle
        // long enough to be let go for idleness. A store that never let go would keep the reader out for the whole time.
        int committed = 0;
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() =>
        {
            var until = DateTime.UtcNow.AddMinutes(3);
            for (int i = 0; !stop.IsCancellationRequested && DateTime.UtcNow < until; i++)
            {
                string file = $"f{i}.warc.gz";
                reducer.Commit(ResultsData.Partial(file, TaskRecord.ComputeId(file, 0, 100), [ResultsData.MakeHit(i, file)]));
                Interlocked.Increment(ref committed);
                Thread.Sleep(20);
            }
        });
        await Task.Delay(1500); // held past the hold limit, with nobody waiting
        var read = CrawlGrep.Tests.EndToEnd.Cli.Run(dir.Path, "sql", "--db", db, "--csv", "SELECT count(*) FROM tasks");
        // A few more commits after the read, so that one that read mid-writing saw fewer tasks than the writer's last.
        int after = Volatile.Read(ref committed) + 5;
        while (Volatile.Read(ref committed) < after && !writing.IsCompleted) await Task.Delay(20);
        stop.Cancel();
        await writing;

        Assert.True(read.ExitCode == 0, read.Stderr);
        long seen = long.Parse(read.Lines[1]);
        Assert.True(seen > 0 && seen < committed, $"the other process saw {seen} of {committed} tasks: it got in only once the writing was over");
        Assert.False(File.Exists(ResultStore.WaitingSign(db)), "the waiting sign was left behind");
    }

    [Fact]
    public void A_task_whose_commit_needs_more_memory_than_a_commit_is_given_is_committed_whole()
    {
        using var dir = new TempDir();
        var db = dir.File("m.duckdb");
        const int count = 30_000;
        using (var store = new ResultStore(db) { CommitMemoryLimit = "1MB" })
        {
            long scanId = store.BeginScan(new ScanInfo("crawlgrep x", ["x"], ["in.warc.gz"]));
            var reducer = new DuckDbReducer(store, scanId);
            var filler = new string('w', 2000);
            var hits = Enumerable.Range(0, count).Select(i => ResultsData.MakeHit(i, "in.warc.gz") with { Context = $"{i} {filler}" }).ToList();
            Assert.True(reducer.Commit(ResultsData.Partial("in.warc.gz", TaskRecord.ComputeId("in.warc.gz", 0, 100), hits)));
        }
        var rows = SqlRunner.Run(db, "SELECT count(*), count(DISTINCT context), sum(length(context))::BIGINT FROM hits");
        Assert.Equal([(long)count, (long)count, (long)(count * 2001L + Enumerable.Range(0, count).Sum(i => i.ToString().Length))], rows.Rows[0]);
    }

    [Fact]
    public void Reducer_round_trip_keeps_counts_types_and_nulls()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        const int threads = 4, perThread = 2500;
        long scanId;
        using (var store = new ResultStore(db))
        {
            scanId = store.BeginScan(new ScanInfo("crawlgrep -e needle", ResultsData.Patterns, ["in/*.warc.gz", "it's.warc"]));
            var reducer = new DuckDbReducer(store, scanId);
            Parallel.For(0, threads, t =>
            {
                string file = $"file{t}.warc.gz";
                var hits = Enumerable.Range(0, perThread).Select(i => ResultsData.MakeHit(t * perThread + i, file)).ToList();
                Assert.True(reducer.Commit(ResultsData.Partial(file, TaskRecord.ComputeId(file, 0, 12345), hits, records: 100 + t, end: 12345)));
            });
            reducer.RecordUnreadable("missing.warc.gz", "no such file");
            Assert.Equal(threads * perThread, reducer.HitsWritten);
            Assert.Equal(threads + 1, reducer.TasksRecorded);
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
    public void A_second_copy_of_a_task_is_committed_once_and_a_failed_try_is_replaced()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        using var store = new ResultStore(db);
        var id = store.BeginScan(new ScanInfo("t", ["needle"], []));
        var reducer = new DuckDbReducer(store, id);
        var hits = Enumerable.Range(0, 10).Select(i => ResultsData.MakeHit(i, "f.warc")).ToList();
        const long Whole = 10_000_000_000L; // the tasks' range covers the hits' records

        // A try that failed half way keeps what it found, under a failed row.
        Assert.True(reducer.Commit(ResultsData.Partial("f.warc", "t1", hits[..4], end: Whole, error: "read failed at offset 40")));
        Assert.True(reducer.Commit(ResultsData.Partial("f.warc", "t1", hits, end: Whole)));   // the task run again: its row replaced
        Assert.False(reducer.Commit(ResultsData.Partial("f.warc", "t1", hits, end: Whole)));  // a duplicate delivery of the done task
        Assert.True(reducer.Commit(ResultsData.Partial("f.warc", "t2", hits[..1], end: Whole)));
        Assert.Equal(1, reducer.Duplicates);

        var rows = SqlRunner.Run(db, "SELECT task_id, status, hits FROM tasks ORDER BY task_id");
        Assert.Equal([["t1", "done", 10L], ["t2", "done", 1L]], rows.Rows.Select(r => r.ToArray()));
        Assert.Equal(11L, SqlRunner.Run(db, "SELECT count(*) FROM hits").Rows[0][0]); // the failed try's four gave way
    }

    [Fact]
    public void Copies_of_tasks_committed_at_once_from_several_threads_are_each_recorded_once_with_their_own_records()
    {
        using var dir = new TempDir();
        var db = dir.File("c.duckdb");
        using var store = new ResultStore(db);
        var id = store.BeginScan(new ScanInfo("t", ["needle"], []));
        var reducer = new DuckDbReducer(store, id);
        const int tasks = 6, copies = 3, perTask = 3000;
        // Each task's hits lie in records of their own (a record per 10 hits); three copies of each at once.
        var partials = Enumerable.Range(0, tasks).SelectMany(t => Enumerable.Range(0, copies).Select(_ =>
        {
            string file = $"f{t}.warc";
            var hits = Enumerable.Range(0, perTask).Select(i => ResultsData.MakeHit(i / 10, file) with { MatchOffset = i }).ToList();
            return ResultsData.Partial(file, $"t{t}", hits, end: 10_000_000_000L);
        })).ToList();
        int recorded = 0;
        Parallel.ForEach(partials, new ParallelOptions { MaxDegreeOfParallelism = 4 }, p =>
        {
            if (reducer.Commit(p)) Interlocked.Increment(ref recorded);
        });

        Assert.Equal(tasks, recorded);
        Assert.Equal(tasks * (copies - 1), reducer.Duplicates);
        var r = SqlRunner.Run(db, """
            SELECT (SELECT count(*) FROM hits), (SELECT count(*) FROM hit_records), (SELECT count(DISTINCT record_no) FROM hit_records),
                   (SELECT count(*) FROM tasks), (SELECT count(DISTINCT file || ':' || record_offset) FROM hits),
                   (SELECT count(*) FROM (SELECT file, match_offset FROM hits GROUP BY ALL HAVING count(*) > 1))
            """);
        Assert.Equal([(long)tasks * perTask, (long)tasks * perTask / 10, (long)tasks * perTask / 10, (long)tasks, (long)tasks * perTask / 10, 0L],
            r.Rows[0]);
    }

    [Fact]
    public void Hits_committed_in_columns_keep_empty_text_apart_from_null_and_every_character()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        var hits = Enumerable.Range(0, 3000).Select(i => ResultsData.MakeHit(i, "dir/ä.warc") with
        {
            Match = i % 3 == 0 ? "" : $"né{i}\"𝄞",
            Context = i % 4 == 0 ? "" : $"<p>{i}</p>\t\u0001 ünïcode",
        }).ToList();
        using (var store = new ResultStore(db))
        {
            var id = store.BeginScan(new ScanInfo("t", ["needle"], []));
            using var batch = new HitBatch(segmentBytes: 8192); // most of them written out to disk and read back
            foreach (var h in hits) batch.Add(h);
            Assert.True(new DuckDbReducer(store, id).Commit("dir/ä.warc", ResultsData.Partial("dir/ä.warc", "t", hits, end: 10_000_000_000L).Outcome, batch));
        }
        var rows = SqlRunner.Run(db, "SELECT match, context, host, crawl, warc_date, file, record_offset FROM hits ORDER BY match_offset").Rows;
        Assert.Equal(hits.Count, rows.Count);
        for (int i = 0; i < hits.Count; i++)
        {
            var h = hits[i];
            Assert.Equal<object?>([h.Match, h.Context, h.Host, h.Crawl, h.WarcDate, h.File, h.RecordOffset], rows[i].ToArray());
        }
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
