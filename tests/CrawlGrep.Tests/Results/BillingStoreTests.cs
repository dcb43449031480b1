using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Results;

/// <summary>What Lambda billed lands on the <c>tasks</c> rows (through the reducer) and on the <c>scans</c> row.</summary>
public class BillingStoreTests
{
    private const int MemoryMb = 1769;

    internal static readonly TaskBilling ColdAndRetried = new(2, 2300, 2.3 * MemoryMb / 1024, 0.0000666, MemoryMb, 612, 187.5);
    internal static readonly TaskBilling Warm = new(1, 800, 0.8 * MemoryMb / 1024, 0.0000233, MemoryMb, 401, null);

    internal static ScanTask Task(string source, long start, long end) =>
        new ScanTask { Source = source, Start = start, End = end, Format = "warc.gz", Spec = new ScanSpec { Patterns = new TaskPatterns { Items = ["needle"] } } }.WithId();

    /// <summary>The task's partial as a worker answers with it: <paramref name="hits"/> hits in its range.</summary>
    internal static byte[] Wire(ScanTask task, int hits, string? error = null)
    {
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            for (int i = 0; i < hits; i++)
                writer.OnHit(new Hit { File = task.Source, Pattern = "needle", Match = "needle", Context = "a needle", RecordOffset = task.Start + i, LineOffset = 0 });
            var now = DateTime.UtcNow;
            var stats = new ScanStats { Records = hits, Hits = hits, CompressedBytes = task.End - task.Start, Errors = error is null ? 0 : 1 };
            writer.Finish(task.Source, new TaskOutcome(task.Id, task.Start, task.End, task.Format, stats, error, now, now));
        }
        return wire.ToArray();
    }

    private static Func<Stream> Stream(byte[] bytes) => () => new MemoryStream(bytes, writable: false);

    [Fact]
    public void A_delivered_task_keeps_its_billing_on_its_row_and_a_task_run_here_has_none()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        ScanTask a = Task("s3://b/a.warc.gz", 0, 1000), b = Task("s3://b/a.warc.gz", 1000, 2000), local = Task("s3://b/c.warc.gz", 0, 1000);
        using (var store = new ResultStore(db))
        {
            var scanId = store.BeginScan(new ScanInfo("crawlgrep needle", ["needle"], ["s3://b/"]));
            var results = new TaskResults([a, b, local], NullHitSink.Instance, new DuckDbReducer(store, scanId), maxLinesPerFile: null);
            int IndexOf(ScanTask t) => results.Tasks.ToList().IndexOf(t);

            var wireA = Wire(a, 3);
            Assert.NotNull(results.Deliver(IndexOf(a), Stream(wireA), ColdAndRetried));
            Assert.Null(results.Deliver(IndexOf(a), Stream(wireA), Warm)); // a speculative copy's answer: the row keeps the first

            // A damaged answer: no row, and the task is delivered again (with all it cost by then).
            var wireB = Wire(b, 2);
            Assert.Throws<InvalidDataException>(() => results.Deliver(IndexOf(b), Stream(wireB[..(wireB.Length / 2)]), Warm));
            Assert.Equal(0L, SqlRunner.Run(db, $"SELECT count(*) FROM tasks WHERE task_id = '{b.Id}'").Rows[0][0]);
            Assert.NotNull(results.Deliver(IndexOf(b), Stream(wireB), Warm));

            var here = results.Begin(IndexOf(local));
            var now = DateTime.UtcNow;
            results.Complete(IndexOf(local), here, new TaskOutcome(local.Id, 0, 1000, "warc.gz", new ScanStats { Records = 1 }, null, now, now));
        }

        var rows = SqlRunner.Run(db, """
            SELECT task_id, hits, invocations, billed_ms, gb_seconds, memory_mb, max_memory_mb, init_ms, cost_usd
            FROM tasks ORDER BY source, range_start
            """).Rows;
        Assert.Equal([a.Id, 3L, 2, 2300L, ColdAndRetried.GbSeconds, MemoryMb, 612, 187.5, 0.0000666], rows[0]);
        Assert.Equal([b.Id, 2L, 1, 800L, Warm.GbSeconds, MemoryMb, 401, null, 0.0000233], rows[1]);
        Assert.Equal([local.Id, 0L, null, null, null, null, null, null, null], rows[2]);
        Assert.Equal(5L, SqlRunner.Run(db, "SELECT count(*) FROM hits").Rows[0][0]);
    }

    [Fact]
    public void A_failed_try_that_is_replaced_leaves_only_the_replacing_rows_billing()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        var task = Task("s3://b/a.warc.gz", 0, 1000);
        using (var store = new ResultStore(db))
        {
            var reducer = new DuckDbReducer(store, store.BeginScan(new ScanInfo("t", ["needle"], [])));
            Assert.NotNull(reducer.Commit(task, Stream(Wire(task, 1, error: "worker Runtime.ExitError (after 3 tries)")), ColdAndRetried));
            Assert.NotNull(reducer.Commit(task, Stream(Wire(task, 4)), Warm));
            Assert.Null(reducer.Commit(task, Stream(Wire(task, 4)), ColdAndRetried)); // the done task, again: left as it is
        }
        var rows = SqlRunner.Run(db, "SELECT status, hits, invocations, billed_ms, cost_usd FROM tasks").Rows;
        Assert.Equal([["done", 4L, 1, 800L, 0.0000233]], rows.Select(r => r.ToArray()));
    }

    [Fact]
    public void A_scan_keeps_its_bill_and_a_resumed_run_adds_to_it()
    {
        using var dir = new TempDir();
        var db = dir.File("r.duckdb");
        var task = Task("s3://b/a.warc.gz", 0, 1000);
        using (var store = new ResultStore(db))
        {
            var onLambda = store.BeginScan(new ScanInfo("crawlgrep --lambda f needle", ["needle"], ["s3://b/"]));
            store.FinishScan(onLambda, new ScanStats { Files = 1, Errors = 1 }, ScanStatus.Incomplete, new ScanBilling(7, 9_000, 15.5, 0.00026));
            // Resumed on Lambda: this run's bill is added; resumed again here: the bill stays.
            store.BeginResume(onLambda, [(task.Id, task.Source, task.Start, task.End)]);
            store.FinishResumedScan(onLambda, new ScanStats(), ScanStatus.Complete, new ScanBilling(2, 1_500, 2.5, 0.00005));
            var afterLambdaResume = Bill(store, onLambda);
            store.BeginResume(onLambda, []);
            store.FinishResumedScan(onLambda, new ScanStats(), ScanStatus.Complete);
            Assert.Equal(afterLambdaResume, Bill(store, onLambda));

            var local = store.BeginScan(new ScanInfo("crawlgrep needle", ["needle"], ["a.warc.gz"]));
            store.FinishScan(local, new ScanStats { Files = 1 }, ScanStatus.Complete);
            // A local scan resumed on Lambda: its bill starts from nothing.
            var resumedOnLambda = store.BeginScan(new ScanInfo("crawlgrep needle", ["needle"], ["s3://b/"]));
            store.FinishScan(resumedOnLambda, new ScanStats(), ScanStatus.Incomplete);
            store.BeginResume(resumedOnLambda, []);
            store.FinishResumedScan(resumedOnLambda, new ScanStats(), ScanStatus.Complete, new ScanBilling(3, 600, 1.0, 0.00002));
        }
        var rows = SqlRunner.Run(db, "SELECT scan_id, status, invocations, billed_ms, gb_seconds, cost_usd FROM scans ORDER BY scan_id").Rows;
        Assert.Equal([1L, "complete", 9L, 10_500L, 18.0], rows[0][..5]);
        Assert.Equal(0.00031, (double)rows[0][5]!, 12);
        Assert.Equal([2L, "complete", null, null, null, null], rows[1]);
        Assert.Equal([3L, "complete", 3L, 600L, 1.0, 0.00002], rows[2]);
    }

    private static object?[] Bill(ResultStore store, long scanId) =>
        SqlRunner.Run(store.Path, $"SELECT invocations, billed_ms, gb_seconds, cost_usd FROM scans WHERE scan_id = {scanId}").Rows[0];
}
