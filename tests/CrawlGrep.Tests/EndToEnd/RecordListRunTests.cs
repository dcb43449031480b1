using System.Text.Json;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>An index-guided plan saved and run by <c>crawlgrep run</c>, as any plan is: its tasks are record lists.</summary>
public class RecordListRunTests
{
    private static readonly string Warc = RealData.PathOf("resiliparse/warcfile.warc.gz");
    private static readonly string Plain = RealData.PathOf("resiliparse/warcfile.warc");

    [Fact]
    public void A_saved_record_list_plan_runs_to_the_full_scans_hits_of_its_records_with_a_task_row_each()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        // Every other record of a Common Crawl WARC excerpt, gzip and plain.
        var selected = new[] { Warc, Plain }.SelectMany(f => EngineRead.ReadAll(File.ReadAllBytes(f)).Extents.Where((_, i) => i % 2 == 1)
            .Select(r => new SelectedRecord(f, r.Offset, r.Length))).ToList();
        var spec = new ScanSpec { Patterns = new TaskPatterns { Items = ["the"], IgnoreCase = true } };
        var plan = RecordListPlanner.Plan(selected, spec, new RecordListOptions { Cores = 2, GapLimit = 0, TaskBytes = 64 << 10 }, p => new LocalFileSource(p));
        Assert.Empty(plan.Failures);
        Assert.True(plan.Tasks.Count > 2);
        File.WriteAllText(tmp.File("plan.json"), new ScanPlan { Tasks = plan.Tasks, Spec = spec, Db = "records.duckdb" }.ToJson());

        var run = Cli.Run(tmp.Path, "run", "plan.json", "--json", "-j", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var search = Cli.Run(tmp.Path, "--no-db", "--json", "-i", "the", Warc, Plain);
        Assert.Equal(0, search.ExitCode);
        var wanted = selected.Select(s => (s.File, s.Offset)).ToHashSet();
        var expected = Rows(search.Lines).Where(r => wanted.Contains((r.File, r.Offset))).Select(r => r.Json).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < search.Lines.Length);
        Assert.Equal(expected, Rows(run.Lines).Select(r => r.Json)); // the same hits, in file order

        var tasks = Cli.Run(tmp.Path, "sql", "--db", "records.duckdb", "--csv",
            "SELECT count(*), count(DISTINCT task_id), min(status), sum(hits), sum(records) FROM tasks");
        Assert.Equal($"{plan.Tasks.Count},{plan.Tasks.Count},done,{run.Lines.Length},{selected.Count}", tasks.Lines[1]);
    }

    /// <summary>Each hit line's file and record offset, and the line without its scan id.</summary>
    private static IEnumerable<(string File, long Offset, string Json)> Rows(string[] lines) => lines.Select(l =>
    {
        var o = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!;
        o.Remove("scan_id");
        return (o["file"].GetString()!, o["record_offset"].GetInt64(), JsonSerializer.Serialize(o));
    });
}
