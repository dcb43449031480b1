using System.CommandLine;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep plan [OPTIONS] PATTERN PATH... [--out plan.json]</c>: cuts the inputs into tasks, as a search would,
/// and saves them for <c>crawlgrep run</c> instead of running them. A summary goes to stderr.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var scan = new ScanFlags();
        var outFile = new Option<string?>("--out", "-o") { Description = "Write the plan to FILE [default: stdout]", HelpName = "FILE" };
        var command = new Command("plan", "Cut a scan into byte-range tasks and save them (run them with: crawlgrep run PLAN)");
        scan.AddTo(command);
        command.Options.Add(outFile);
        command.SetAction(pr =>
        {
            var err = Console.Error;
            var request = scan.Read(pr, out string? error);
            if (request is null) return ScanRun.Fail(error!);
            using var sources = request.Sources;
            var plan = Planner.Plan(request.Inputs, request.Template, request.PlanOptions, sources.Open);
            foreach (var f in plan.Failures) err.WriteLine($"crawlgrep: {f.Source}: {f.Error}");
            if (plan.Tasks.Count == 0) return ScanRun.Fail("nothing to plan: no input could be read");
            string json = new ScanPlan { Tasks = plan.Tasks, Remote = ScanRun.RemoteOf(sources.Options) }.ToJson();
            string? path = pr.GetValue(outFile);
            try
            {
                if (path is null) Console.Out.WriteLine(json);
                else File.WriteAllText(path, json + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ScanRun.Fail($"{path}: {e.Message}"); }
            int whole = plan.Inputs.Count(i => !i.Splittable);
            err.WriteLine($"{plan.Inputs.Count:N0} inputs, {ProgressDisplay.Size(plan.Bytes)}, {plan.Tasks.Count:N0} tasks" +
                          (whole > 0 ? $" ({whole:N0} whole-file gzip, not split)" : "") + (path is null ? "" : $": {path}"));
            return plan.Failures.Count > 0 ? ScanRun.ExitError : 0;
        });
        return command;
    }
}
