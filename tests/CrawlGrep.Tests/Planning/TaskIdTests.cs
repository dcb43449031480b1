using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Planning;

/// <summary>
/// A task's id is what result files, job state and Lambda payloads know it by: a resume finds the tasks already done
/// by their ids, so the same task must hash to the same id from release to release. These are ids of earlier builds.
/// </summary>
public sealed class TaskIdTests
{
    private static readonly ScanSpec Literal = new() { Patterns = new TaskPatterns { Items = ["crawlgrep"], FixedStrings = true } };

    private static readonly ScanSpec Everything = new()
    {
        Patterns = new TaskPatterns { Items = ["th[ae]n", "caf\u00e9 \"quoted\" <b>&amp;</b>", "\\bword\\b"], IgnoreCase = true, WordRegexp = true },
        Filters = new TaskFilters { Types = ["response", "conversion"], Mime = ["text/html"], Url = "example.org" },
        Limits = new TaskLimits { MaxLinesPerFile = 1000, ContextBytes = 40, MaxMatchBytes = 64 },
    };

    public static TheoryData<string, ScanTask> Tasks => new()
    {
        { "59d8bef6652a364d", new ScanTask { Source = "samples/CC-MAIN-20240517233122-20240518023122-00000.warc.gz", Start = 0, End = 1234567, Format = "warc.gz", Spec = Literal } },
        { "b3b1280f86f6aa8b", new ScanTask { Source = "s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/x.warc.gz", Start = 1L << 33, End = (1L << 33) + 1000,
            Format = "warc.gz", Crawl = "CC-MAIN-2024-22", Spec = Everything } },
        { "b05e9c427cd976d6", new ScanTask { Source = "https://data.commoncrawl.org/x.warc.gz", Start = 100, End = 9000, Format = ScanTask.FormatReadAtScan, Spec = Literal,
            Records = [new FileExtent(100, 400), new FileExtent(8000, 1000)], Reads = [new FileExtent(100, 400), new FileExtent(8000, 1000)] } },
    };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void A_task_hashes_to_the_id_it_always_had(string id, ScanTask task)
    {
        Assert.Equal(id, task.ComputeId());
        Assert.Equal(id, task.WithId().Id);
        Assert.Equal(id, (task with { Id = "something else" }).ComputeId());
    }
}
