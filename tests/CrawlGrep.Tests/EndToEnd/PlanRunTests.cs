using System.Text.Json;
using CrawlGrep.Core.Planning;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>Scans cut into tasks: --split, crawlgrep plan and crawlgrep run give what the whole-file scan gives.</summary>
public class PlanRunTests
{
    private static readonly string Warc = RealData.PathOf("whirlwind-python/whirlwind.warc.gz");
    private static readonly string Wet = RealData.PathOf("whirlwind-python/whirlwind.warc.wet.gz");
    private static readonly string Plain = RealData.PathOf("whirlwind-python/whirlwind.warc");

    [Fact]
    public void Split_scans_print_the_whole_scans_hits_in_the_same_order()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        string[] scan = ["--no-db", "--json", "-i", "-e", "wiki", "-e", "the", Warc, Wet, Plain];
        var slow = new Dictionary<string, string?>(); // a busy machine has taken 105 s over "--split 1": more than the default 2 minutes allow
        var whole = Cli.Run(tmp.Path, slow, TimeSpan.FromMinutes(10), ["--split", "1G", .. scan]);
        Assert.Equal(0, whole.ExitCode);
        Assert.True(whole.Lines.Length > 100);
        foreach (var split in new[] { "64K", "5000", "1" })
        {
            var cut = Cli.Run(tmp.Path, slow, TimeSpan.FromMinutes(10), ["--split", split, "-j", "2", .. scan]);
            Assert.True(cut.ExitCode == 0, cut.Stderr);
            Assert.Equal(whole.Lines, cut.Lines); // same hits, in file order, inputs contiguous
        }
    }

    [Fact]
    public void Max_count_holds_per_input_across_its_tasks()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        var r = Cli.Run(tmp.Path, "--no-db", "-c", "-m", "7", "--split", "20K", "-i", "the", Warc, Plain);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal([$"{Warc}:7", $"{Plain}:7"], r.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_saved_plan_runs_to_the_search_result_and_records_one_row_per_task()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        var plan = Cli.Run(tmp.Path, "plan", "--split", "5K", "--db", "plan.duckdb", "-o", "plan.json", "-i", "wiki", Warc, Plain);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("tasks", plan.Stderr);
        var saved = ScanPlan.FromJson(File.ReadAllText(tmp.File("plan.json")), "plan.json");
        long warcLength = new FileInfo(Warc).Length;
        var warcTasks = saved.Tasks.Where(t => t.Source == Warc).ToList();
        Assert.True(warcTasks.Count > 2);
        Assert.Equal(0, warcTasks[0].Start);
        Assert.Equal(warcLength, warcTasks[^1].End);
        Assert.All(warcTasks.Zip(warcTasks.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start)); // ranges tile the file
        Assert.All(saved.Tasks, t => Assert.Equal(t.ComputeId(), t.Id));
        Assert.All(saved.Tasks, t => Assert.Equal("CC-MAIN-2024-22", t.Crawl) );

        var run = Cli.Run(tmp.Path, "run", "plan.json", "--json", "-j", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var search = Cli.Run(tmp.Path, "--no-db", "--json", "-i", "wiki", Warc, Plain);
        Assert.Equal(Strip(search.Lines), Strip(run.Lines));

        var tasks = Cli.Run(tmp.Path, "sql", "--db", "plan.duckdb", "--csv", "SELECT count(*), count(DISTINCT task_id), min(status), sum(hits) FROM tasks");
        Assert.Equal($"{saved.Tasks.Count},{saved.Tasks.Count},done,{run.Lines.Length}", tasks.Lines[1]);

        // A plan edited by hand is refused: its ids no longer match.
        File.WriteAllText(tmp.File("edited.json"), File.ReadAllText(tmp.File("plan.json")).Replace("\"wiki\"", "\"WIKI\""));
        var edited = Cli.Run(tmp.Path, "run", "edited.json");
        Assert.Equal(2, edited.ExitCode);
        Assert.Contains("does not match its content", edited.Stderr);
    }

    [Fact]
    public void Plan_tells_files_bytes_tasks_and_an_estimate_from_the_speed_measured_here()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        var plan = Cli.Run(tmp.Path, "plan", "--split", "20K", "-j", "2", "-o", "plan.json", "wiki", Warc, Plain);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var saved = CrawlGrep.Core.Planning.ScanPlan.FromJson(File.ReadAllText(tmp.File("plan.json")), "plan.json");
        Assert.Contains($"2 inputs, ", plan.Stderr);
        Assert.Contains($", {saved.Tasks.Count} tasks", plan.Stderr);
        var estimate = System.Text.RegularExpressions.Regex.Match(plan.Stderr, @"estimate: .+ on 2 cores \(this machine scans these patterns at (\d+) MB/s");
        Assert.True(estimate.Success, plan.Stderr);
        Assert.True(int.Parse(estimate.Groups[1].Value) > 0);
    }

    [Fact]
    public void A_task_whose_input_is_gone_fails_alone_and_the_scan_says_it_is_incomplete()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        string copy = tmp.File("copy.warc.gz");
        File.Copy(Warc, copy);
        Assert.Equal(0, Cli.Run(tmp.Path, "plan", "--split", "5K", "--db", "gone.duckdb", "-o", "plan.json", "wiki", copy, Plain).ExitCode);
        File.Delete(copy);
        var run = Cli.Run(tmp.Path, "run", "plan.json", "-c");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{copy}: no such file", run.Stderr);
        Assert.Contains(run.Lines, l => l.StartsWith($"{Plain}:") && !l.EndsWith(":0"));
        var tasks = Cli.Run(tmp.Path, "sql", "--db", "gone.duckdb", "--csv",
            "SELECT source, count(*) FILTER (status = 'failed') > 0, count(*) FILTER (status = 'done') > 0 FROM tasks GROUP BY source");
        // As a set: the two paths sort differently depending on where the data and the temp folder live.
        Assert.Equal(new[] { $"{copy},true,false", $"{Plain},false,true" }.Order(StringComparer.Ordinal), tasks.Lines.Skip(1).Order(StringComparer.Ordinal));
        var scans = Cli.Run(tmp.Path, "sql", "--db", "gone.duckdb", "--csv", "SELECT status FROM scans");
        Assert.Equal("incomplete", scans.Lines[1]);
    }

    [Fact]
    public async Task A_reader_that_goes_away_stops_the_scan_like_head_does()
    {
        using var tmp = new TempDir();
        new CrawlGrep.Core.Generation.CorpusGenerator(new CrawlGrep.Core.Generation.CorpusOptions
        {
            Seed = 6, TargetSize = 40 << 20, Kinds = CrawlGrep.Core.Generation.CorpusKinds.Warc,
            Compression = CrawlGrep.Core.Generation.WarcCompression.Plain,
        }).Generate(tmp.Path);
        string[] args = ["--no-db", "--no-progress", "--type", "all", "-i", "e", tmp.Path];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var all = Cli.Run(tmp.Path, new Dictionary<string, string?>(), TimeSpan.FromMinutes(10), args);
        var whole = clock.Elapsed;
        Assert.Equal(0, all.ExitCode);
        Assert.True(all.Lines.Length > 100_000);

        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = tmp.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.False(string.IsNullOrEmpty(p.StandardOutput.ReadLine()));
        p.StandardOutput.Close(); // as head -1 does
        clock.Restart(); // from the reader going away: the runtime's start is not the scan's to answer for
        Assert.True(p.WaitForExit(600_000));
        var head = clock.Elapsed;
        Assert.Equal(0, p.ExitCode);
        Assert.Equal("", await stderr);
        Assert.True(head < whole / 3, $"stopping took {head}, the whole scan {whole}");
    }

    /// <summary>The JSON lines without scan_id (a recorded run has one, a --no-db search does not).</summary>
    private static List<string> Strip(string[] lines) => lines.Select(l =>
    {
        var o = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!;
        o.Remove("scan_id");
        return JsonSerializer.Serialize(o);
    }).ToList();
}
