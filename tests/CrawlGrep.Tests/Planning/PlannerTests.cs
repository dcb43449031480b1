using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Tests.Planning;

public sealed class PlannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crawlgrep-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Generate(WarcCompression compression, long size)
    {
        var dir = Path.Combine(_dir, compression.ToString());
        var r = new CorpusGenerator(new CorpusOptions { Seed = 4, TargetSize = size, Kinds = CorpusKinds.Warc, Compression = compression }).Generate(dir);
        return r.Files.Single().Path!;
    }

    private static readonly ScanSpec Spec = new() { Patterns = new TaskPatterns { Items = ["x"] } };

    [Theory]
    [InlineData(WarcCompression.Gzip, ArchiveFormat.Gzip, true)]
    [InlineData(WarcCompression.GzipWhole, ArchiveFormat.Gzip, false)]
    [InlineData(WarcCompression.Zstd, ArchiveFormat.Zstd, true)]
    [InlineData(WarcCompression.Plain, ArchiveFormat.Plain, true)]
    public void The_probe_reads_format_crawl_and_whether_a_file_can_be_split(WarcCompression compression, ArchiveFormat format, bool splittable)
    {
        string path = Generate(compression, 1 << 20);
        var layout = InputProbe.Probe(new LocalFileSource(path), out string? error);
        Assert.Null(error);
        Assert.Equal(format, layout!.Format);
        Assert.Equal(splittable, layout.Splittable);
        Assert.Equal("CC-MAIN-2024-22", layout.Crawl);
    }

    [Fact]
    public void Ranges_tile_each_input_whole_gzip_stays_whole_and_one_core_does_not_split()
    {
        string gz = Generate(WarcCompression.Gzip, 3 << 20), whole = Generate(WarcCompression.GzipWhole, 3 << 20);
        string missing = Path.Combine(_dir, "missing.warc.gz");
        var plan = Planner.Plan([gz, whole, missing], Spec, new PlanOptions { Cores = 2, SplitSize = 64 << 10 }, p => new LocalFileSource(p));
        Assert.Equal(missing, Assert.Single(plan.Failures).Source);
        var gzTasks = plan.Tasks.Where(t => t.Source == gz).ToList();
        long length = new FileInfo(gz).Length;
        Assert.Equal((length - 1) / (64 << 10) + 1, gzTasks.Count);
        Assert.Equal(0, gzTasks[0].Start);
        Assert.Equal(length, gzTasks[^1].End);
        Assert.All(gzTasks.Zip(gzTasks.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
        Assert.Single(plan.Tasks, t => t.Source == whole);
        Assert.Equal(plan.Tasks.Count, plan.Tasks.Select(t => t.Id).Distinct().Count());

        var oneCore = Planner.Plan([gz], Spec, new PlanOptions { Cores = 1 }, p => new LocalFileSource(p));
        Assert.Single(oneCore.Tasks);
        Assert.Equal(PlanOptions.MinDefaultSplit, Planner.DefaultSplit(10L << 20, 2));
        Assert.Equal(PlanOptions.MaxDefaultSplit, Planner.DefaultSplit(100L << 30, 2));
        Assert.Equal(128L << 20, Planner.DefaultSplit(1L << 30, 2)); // 4 ranges per core
        // An input whose size is not a multiple of 4 × cores still gives 4 ranges per core, not one more.
        long odd = 141_887_802;
        Assert.Equal(8, (odd - 1) / Planner.DefaultSplit(odd, 2) + 1);
    }
}
