using System.CommandLine;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep run PLAN [OPTIONS]</c>: runs the tasks of a saved plan on the local cores, reporting as a search does.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var planFile = new Argument<string>("PLAN") { Description = "A plan written by crawlgrep plan" };
        var threads = ScanFlags.ThreadsOption();
        var db = new Option<string?>("--db") { Description = "Result database [default: the plan's]", HelpName = "FILE" };
        var noDb = new Option<bool>("--no-db") { Description = "Do not record the scan in a database" };
        var output = new OutputFlags();
        var remote = new RemoteFlags();
        var lambda = new LambdaFlags();
        var command = new Command("run", "Run the tasks of a saved plan");
        command.Arguments.Add(planFile);
        command.Options.Add(threads);
        command.Options.Add(db);
        command.Options.Add(noDb);
        output.AddTo(command);
        remote.AddTo(command);
        lambda.AddTo(command);
        command.SetAction(pr =>
        {
            string path = pr.GetValue(planFile)!;
            ScanPlan plan;
            try { plan = ScanPlan.FromJson(File.ReadAllText(path), path); }
            catch (InvalidDataException e) { return ScanRun.Fail(e.Message); } // names the file
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ScanRun.Fail(CommandSupport.FileProblem(path, e)); }
            if (plan.Tasks.Count == 0) return ScanRun.Fail($"{path}: the plan has no tasks");
            var sources = plan.Tasks.Select(t => t.Source).Distinct().ToList();
            using var resolver = remote.Resolver(pr, plan.Remote?.ToOptions());
            var onLambda = lambda.Read(pr, resolver.Options.Region, out string? error);
            if (error is not null || (onLambda is not null && (error = ScanRun.LocalInputOnLambda(sources)) is not null)) return ScanRun.Fail(error);
            return ScanRun.Execute(pr, output, new ScanJob(plan.Spec, pr.GetValue(noDb) ? null : pr.GetValue(db) ?? plan.Db, plan.Tasks, [], plan.Spec.Patterns.Items, sources, [], ScanFlags.ThreadCount(pr.GetValue(threads)), resolver) { Lambda = onLambda, RecordGap = plan.RecordGap });
        });
        return command;
    }
}
