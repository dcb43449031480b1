using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Remote;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// An index-guided plan of objects in S3 (s3rver), run by <c>crawlgrep run</c> on the local cores and on Lambda
/// (the emulator running real workers): record-list tasks travel in the task event, and their reads are range GETs.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class RecordListLambdaTests(S3rver fixture, ITestOutputHelper output)
{
    [Fact]
    public void A_record_list_plan_gives_the_same_hits_and_task_rows_on_lambda_as_on_the_local_cores()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return;
        var inputs = LambdaScan.Upload(s3);
        // The generated gzip, zstd and plain corpora and a Common Crawl excerpt: every third record of each.
        var locals = RemoteScan.GeneratedFiles.ToDictionary(f => $"s3://{LambdaScan.Bucket}/generated/{Path.GetFileName(f)}", f => f);
        locals[$"s3://{LambdaScan.Bucket}/real/resiliparse/warcfile.warc.gz"] = RealData.PathOf("resiliparse/warcfile.warc.gz");
        Assert.All(locals.Keys, k => Assert.Contains(k, inputs));
        var selected = locals.SelectMany(f => EngineRead.ReadAll(File.ReadAllBytes(f.Value)).Extents.Where((_, i) => i % 3 == 0)
            .Select(r => new SelectedRecord(f.Key, r.Offset, r.Length))).ToList();
        var spec = new ScanSpec
        {
            Patterns = new TaskPatterns { Items = ["the", "http", "warc", "[0-9]{4}"], IgnoreCase = true },
            Filters = new TaskFilters { Types = ["all"] },
        };
        // Planned from the same bytes as the objects hold, under their s3:// names.
        var plan = RecordListPlanner.Plan(selected, spec, new RecordListOptions { Cores = 4, TaskBytes = 256 << 10 }, name => new MemorySource(name, File.ReadAllBytes(locals[name])));
        Assert.Empty(plan.Failures);
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("plan.json"), new ScanPlan { Tasks = plan.Tasks, Spec = spec }.ToJson());

        var local = Cli.Run(tmp.Path, LambdaScan.Env(), ["run", "plan.json", "-c", "--db", "local.duckdb", "--s3-endpoint", s3.Endpoint]);
        Assert.True(local.ExitCode == 0, local.Stderr);
        using var emulator = LambdaScan.Emulator();
        var lambda = Cli.Run(tmp.Path, LambdaScan.Env(), ["run", "plan.json", "-c", "--db", "lambda.duckdb", "--s3-endpoint", s3.Endpoint, .. LambdaScan.OnLambda(emulator, 4)]);
        Assert.True(lambda.ExitCode == 0, lambda.Stderr);
        output.WriteLine($"{plan.Tasks.Count} tasks, {emulator.InvocationsCompleted} invocations\n{lambda.Stderr.Trim()}");

        Assert.Equal(local.Lines, lambda.Lines);
        var rows = LambdaScan.HitRows(tmp.Path, "lambda.duckdb");
        Assert.True(rows.Length > 100, $"{rows.Length} hits");
        Assert.Equal(LambdaScan.HitRows(tmp.Path, "local.duckdb"), rows);
        Assert.Equal($"{plan.Tasks.Count},{plan.Tasks.Count},{plan.Tasks.Count}", LambdaScan.TaskRows(tmp.Path, "lambda.duckdb"));
        // Only the selected records have hits, and every selected record was read.
        var found = Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT DISTINCT file, record_offset FROM hits").Lines.Skip(1).ToList();
        var wanted = selected.Select(s => $"{s.File},{s.Offset}").ToHashSet();
        Assert.All(found, f => Assert.Contains(f, wanted));
        Assert.Equal($"{selected.Count}", Cli.Run(tmp.Path, "sql", "--db", "lambda.duckdb", "--csv", "SELECT sum(records) FROM tasks").Lines[1]);
    }
}
