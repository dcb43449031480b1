using System.Text.Json;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.Results;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary><c>crawlgrep query cost</c>: what Lambda billed per scan, read from the result file.</summary>
public class DatabaseCostTests
{
    private static readonly string[] Header =
    [
        "scan_id", "status", "tasks", "lambda_tasks", "invocations", "billed_s", "gb_s", "usd", "mean_billed_ms",
        "max_memory_used_mb", "memory_mb", "memory_used_pct", "cold_starts", "mean_init_ms",
    ];

    [Fact]
    public void A_scan_on_local_cores_shows_zeros_not_nulls()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Cli.Run(tmp.Path, "--db", "hits.duckdb", "Escopete", RealData.PathOf("whirlwind-python/whirlwind.warc.gz")).ExitCode);

        var csv = Cli.Run(tmp.Path, "query", "cost", "--db", "hits.duckdb", "--csv");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Equal(string.Join(',', Header), csv.Lines[0]);
        var row = csv.Lines[1].Split(',');
        Assert.Equal(["1", "complete", "1", "0", "0"], row[..5]);
        Assert.All(row[5..], v => Assert.Equal(0.0, double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)));

        var table = Cli.Run(tmp.Path, "query", "cost", "--db", "hits.duckdb");
        Assert.Equal(0, table.ExitCode);
        Assert.DoesNotContain("NULL", table.Stdout);
    }

    [Fact]
    public void A_billed_scan_shows_its_bill_and_what_its_tasks_used()
    {
        using var tmp = new TempDir();
        var db = tmp.File("billed.duckdb");
        ScanTask a = BillingStoreTests.Task("s3://b/a.warc.gz", 0, 1000), b = BillingStoreTests.Task("s3://b/b.warc.gz", 0, 1000);
        using (var store = new ResultStore(db))
        {
            // Scan 1 finished: its own bill counts a speculative copy whose answer was dropped (4 invocations, not 3).
            var finished = store.BeginScan(new ScanInfo("crawlgrep --lambda f needle", ["needle"], ["s3://b/"]));
            var results = new TaskResults([a, b], NullHitSink.Instance, new DuckDbReducer(store, finished), maxLinesPerFile: null);
            results.Deliver(results.Tasks.ToList().IndexOf(a), () => new MemoryStream(BillingStoreTests.Wire(a, 3)), BillingStoreTests.ColdAndRetried);
            results.Deliver(results.Tasks.ToList().IndexOf(b), () => new MemoryStream(BillingStoreTests.Wire(b, 1)), BillingStoreTests.Warm);
            store.FinishScan(finished, results.Totals, ScanStatus.Complete, new ScanBilling(4, 3_900, 6.74, 0.000113));

            // Scan 2 never finished (the machine went down): its tasks' bills are all there is.
            var cut = store.BeginScan(new ScanInfo("crawlgrep --lambda f needle", ["needle"], ["s3://b/"]));
            new DuckDbReducer(store, cut).Commit(a, () => new MemoryStream(BillingStoreTests.Wire(a, 3)), BillingStoreTests.Warm);
        }

        var run = Cli.Run(tmp.Path, "query", "cost", "--db", "billed.duckdb", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var rows = run.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(Header, rows[0].EnumerateObject().Select(p => p.Name));

        var finishedRow = rows[0];
        Assert.Equal(("complete", 2, 2, 4), (finishedRow.GetProperty("status").GetString(), finishedRow.GetProperty("tasks").GetInt32(),
            finishedRow.GetProperty("lambda_tasks").GetInt32(), finishedRow.GetProperty("invocations").GetInt32()));
        Assert.Equal(3.9, finishedRow.GetProperty("billed_s").GetDouble());
        Assert.Equal(6.7, finishedRow.GetProperty("gb_s").GetDouble());
        Assert.Equal(0.0001, finishedRow.GetProperty("usd").GetDouble());
        Assert.Equal(975, finishedRow.GetProperty("mean_billed_ms").GetInt32());           // 3,900 ms over 4 invocations
        Assert.Equal((612, 1769, 35), (finishedRow.GetProperty("max_memory_used_mb").GetInt32(), finishedRow.GetProperty("memory_mb").GetInt32(),
            finishedRow.GetProperty("memory_used_pct").GetInt32()));                        // 612 of 1,769 MB
        Assert.Equal((1, 188), (finishedRow.GetProperty("cold_starts").GetInt32(), finishedRow.GetProperty("mean_init_ms").GetInt32()));

        var cutRow = rows[1];
        Assert.Equal(("running", 1, 1, 800), (cutRow.GetProperty("status").GetString(), cutRow.GetProperty("invocations").GetInt32(),
            cutRow.GetProperty("lambda_tasks").GetInt32(), cutRow.GetProperty("mean_billed_ms").GetInt32()));
        Assert.Equal(0, cutRow.GetProperty("cold_starts").GetInt32());
    }
}
