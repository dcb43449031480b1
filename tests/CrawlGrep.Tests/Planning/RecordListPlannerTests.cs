using CrawlGrep.Cli.Commands;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Execution.Lambda;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Planning;

/// <summary>Planning an index-guided scan: probes, failures that keep their records, the numbers plan shows, and task JSON.</summary>
public sealed class RecordListPlannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crawlgrep-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ScanSpec Spec = new() { Patterns = new TaskPatterns { Items = ["x"] } };

    private string Generate(WarcCompression compression, long size)
    {
        var dir = Path.Combine(_dir, compression.ToString());
        var r = new CorpusGenerator(new CorpusOptions { Seed = 4, TargetSize = size, Kinds = CorpusKinds.Warc, Compression = compression }).Generate(dir);
        return r.Files.Single().Path!;
    }

    private static List<FileExtent> RecordsOf(string path) => EngineRead.ReadAll(File.ReadAllBytes(path)).Extents;

    [Fact]
    public void The_plan_probes_each_file_keeps_what_it_cannot_plan_with_its_records_and_says_what_it_fetches()
    {
        string gz = Generate(WarcCompression.Gzip, 3 << 20), whole = Generate(WarcCompression.GzipWhole, 1 << 20);
        string missing = Path.Combine(_dir, "missing.warc.gz");
        var all = RecordsOf(gz);
        var picked = all.Where((_, i) => i % 5 == 0).ToList();
        var selection = picked.Select(r => new SelectedRecord(gz, r.Offset, r.Length))
            .Concat([new SelectedRecord(missing, 0, 100), new SelectedRecord(missing, 500, 100), new SelectedRecord(whole, 0, 1000)]).ToList();

        var plan = RecordListPlanner.Plan(selection, Spec, new RecordListOptions { Cores = 2 }, p => new LocalFileSource(p));

        var gone = plan.Failures.Single(f => f.Source == missing);
        Assert.Equal("no such file", gone.Error);
        Assert.Equal([new FileExtent(0, 100), new FileExtent(500, 100)], gone.Records!);
        var shared = plan.Failures.Single(f => f.Source == whole);
        Assert.Contains("cannot be read one by one", shared.Error);
        Assert.Equal([new FileExtent(0, 1000)], shared.Records!);

        Assert.Equal([gz], plan.Inputs.Select(i => i.Source));
        Assert.All(plan.Tasks, t =>
        {
            Assert.Equal(gz, t.Source);
            Assert.Equal("warc.gz", t.Format);
            Assert.Equal("CC-MAIN-2024-22", t.Crawl);
            Assert.Null(t.Validate());
            Assert.Equal(t.ComputeId(), t.Id);
            Assert.Equal(t.Reads![0].Offset, t.Start);
            Assert.Equal(t.Reads[^1].End, t.End);
            // Reads of a local file are more than the local gap limit apart.
            Assert.All(t.Reads.Zip(t.Reads.Skip(1)), p => Assert.True(p.Second.Offset - p.First.End > RecordListOptions.DefaultLocalGap));
        });
        Assert.Equal(picked, plan.Tasks.SelectMany(t => t.Records!));

        var summary = plan.RecordList!;
        long length = new FileInfo(gz).Length;
        Assert.Equal(picked.Count, summary.Records);
        Assert.Equal(plan.Tasks.Sum(t => t.Reads!.Count), summary.Requests);
        Assert.Equal(plan.Tasks.Sum(t => t.Reads!.Sum(r => r.Length)), summary.FetchBytes);
        Assert.Equal(length, summary.FileBytes);
        Assert.InRange(summary.Fraction, 0.01, 1);
        Assert.Equal($"{summary.Records:N0} records in {summary.Requests:N0} requests: " +
                     $"{CrawlGrep.Cli.Output.ProgressDisplay.Size(summary.FetchBytes)} to fetch, {summary.Fraction * 100:0.##}% of the files' " +
                     $"{CrawlGrep.Cli.Output.ProgressDisplay.Size(length)}", PlanCommand.RecordListLine(summary));
        Assert.Equal("1 records in 1 requests: 100 B to fetch, under 0.01% of the files' 1.0 GiB",
            PlanCommand.RecordListLine(new RecordListSummary(1, 1, 100, 1L << 30)));

        // A plan of whole files has no record-list numbers, and a selection of one file in full fetches all of it.
        Assert.Null(Planner.Plan([gz], Spec, new PlanOptions { Cores = 2 }, p => new LocalFileSource(p)).RecordList);
        var everything = RecordListPlanner.Plan(all.Select(r => new SelectedRecord(gz, r.Offset, r.Length)).ToList(), Spec,
            new RecordListOptions { Cores = 2 }, p => new LocalFileSource(p)).RecordList!;
        Assert.Equal(1.0, everything.Fraction);
        Assert.Equal(1, everything.Requests);
    }

    [Fact]
    public void Tasks_are_cut_by_bytes_to_fetch_and_by_records_and_the_gap_limit_follows_where_the_file_is()
    {
        string gz = Generate(WarcCompression.Gzip, 3 << 20);
        long length = new FileInfo(gz).Length;
        var all = RecordsOf(gz);
        var selection = all.Select(r => new SelectedRecord(gz, r.Offset, r.Length)).ToList();
        PlanResult Plan(RecordListOptions o) => RecordListPlanner.Plan(selection, Spec, o, p => new LocalFileSource(p));

        // Every record of the file, 256 KiB a task: the tasks follow one another, each within the bound.
        var cut = Plan(new RecordListOptions { Cores = 2, TaskBytes = 256 << 10 });
        Assert.InRange(cut.Tasks.Count, (length + (256 << 10) - 1) / (256 << 10), 2 * length / (256 << 10) + 1);
        Assert.All(cut.Tasks, t => Assert.True(t.Bytes <= 256 << 10));
        Assert.All(cut.Tasks.Zip(cut.Tasks.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
        Assert.Equal(length, cut.RecordList!.FetchBytes);

        // By default, four tasks a core within the planner's range bounds: a small file is one task.
        Assert.Single(Plan(new RecordListOptions { Cores = 2 }).Tasks);
        Assert.Equal(3, Plan(new RecordListOptions { Cores = 1, MaxRecordsPerTask = (all.Count + 2) / 3 }).Tasks.Count);

        Assert.Equal(RecordListOptions.DefaultRemoteGap, new RecordListOptions().GapFor("s3://commoncrawl/crawl-data/x.warc.gz"));
        Assert.Equal(RecordListOptions.DefaultRemoteGap, new RecordListOptions().GapFor("https://data.commoncrawl.org/crawl-data/x.warc.gz"));
        Assert.Equal(RecordListOptions.DefaultLocalGap, new RecordListOptions().GapFor(gz));
        Assert.Equal(5, new RecordListOptions { GapLimit = 5 }.GapFor(gz));
    }

    [Fact]
    public void Record_list_tasks_round_trip_through_plan_and_event_json_and_range_tasks_keep_their_json()
    {
        var range = new ScanTask { Source = "a.warc.gz", Start = 0, End = 100, Format = "warc.gz", Spec = Spec }.WithId();
        Assert.DoesNotContain("records", range.ToJson());
        Assert.DoesNotContain("reads", range.ToJson());
        Assert.Equal(range.End - range.Start, range.Bytes);

        var listed = range with
        {
            Start = 1000, End = 5000,
            Records = [new FileExtent(1000, 300), new FileExtent(1500, 500), new FileExtent(4000, 1000)],
            Reads = [new FileExtent(1000, 1000), new FileExtent(4000, 1000)],
        };
        listed = listed.WithId();
        Assert.NotEqual(range.Id, listed.Id);
        Assert.Contains("\"records\":[[1000,300],[1500,500],[4000,1000]],\"reads\":[[1000,1000],[4000,1000]]", listed.ToJson());
        Assert.Equal(2000, listed.Bytes);

        var plan = ScanPlan.FromJson(new ScanPlan { Tasks = [range, listed], Spec = Spec }.ToJson(), "plan.json");
        Assert.Null(plan.Tasks[0].Records);
        Assert.Equal(listed.Records, plan.Tasks[1].Records!);
        Assert.Equal(listed.Reads, plan.Tasks[1].Reads!);
        Assert.Equal(listed.Id, plan.Tasks[1].ComputeId());

        var e = LambdaTaskEvent.FromJson(new LambdaTaskEvent { Task = listed, ScanKey = "k" }.ToJsonBytes());
        Assert.Equal(listed.Records, e.Task.Records!);
        Assert.Equal(listed.Id, e.Task.Id);

        // A failure that keeps its records keeps them in the plan, for a resume to plan them again.
        var unplanned = ScanPlan.FromJson(new ScanPlan { Tasks = [range], Spec = Spec, Unplanned = [new PlanFailure("b.warc.gz", "no such file") { Records = listed.Records }] }.ToJson(), "p");
        Assert.Equal(listed.Records, unplanned.Unplanned![0].Records!);

        // Reads out of order are refused by name, by the plan reader and by the runner alike.
        var bad = (listed with { Reads = [new FileExtent(4000, 1000), new FileExtent(1000, 1000)] }).WithId();
        var refused = Assert.Throws<InvalidDataException>(() => ScanPlan.FromJson(new ScanPlan { Tasks = [bad], Spec = Spec }.ToJson(), "plan.json"));
        Assert.Contains($"task {bad.Id}: reads not sorted and apart at 1000", refused.Message);
        var options = TaskRunner.Compile(Spec, linesOnly: false, progress: null, out _)!;
        using var runner = new TaskRunner(options, name => new MemorySource(name, new byte[5000]));
        Assert.Contains("reads not sorted", runner.Run(bad, new CollectingSink()).Error);
        Assert.Contains("records without reads", (listed with { Reads = null }).Validate());
    }

    [Fact]
    public void A_task_of_as_many_records_as_a_task_may_hold_fits_a_lambda_event()
    {
        // The worst case: Common Crawl offsets (a file of about a gigabyte) and every record its own read.
        var rng = new Random(5);
        long at = 1_000_000_000;
        var records = new List<FileExtent>();
        for (int i = 0; i < RecordListOptions.DefaultMaxRecordsPerTask; i++)
        {
            records.Add(new FileExtent(at, rng.Next(500, 99_999)));
            at += records[^1].Length + rng.Next(70_000, 99_999);
        }
        var task = new ScanTask
        {
            Source = "s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/CC-MAIN-20240517233122-20240518023122-00000.warc.gz",
            Start = records[0].Offset, End = records[^1].End, Format = "warc.gz", Spec = Spec, Records = records, Reads = records,
        }.WithId();
        int bytes = new LambdaTaskEvent { Task = task, ScanKey = "k" }.ToJsonBytes().Length;
        Assert.True(bytes < LambdaLimits.MaxEventPayload / 2, $"{bytes} bytes");
    }
}
