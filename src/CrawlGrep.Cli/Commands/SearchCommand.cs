using System.CommandLine;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Cli.Commands;

/// <summary>The main command: <c>crawlgrep [OPTIONS] PATTERN PATH...</c>, grep over web archives.</summary>
public static class SearchCommand
{
    public const int ExitMatch = ScanRun.ExitMatch, ExitNoMatch = ScanRun.ExitNoMatch, ExitError = ScanRun.ExitError;

    private static readonly ScanFlags Scan = new();
    private static readonly OutputFlags Output = new();

    public static void AddTo(Command root)
    {
        Scan.AddTo(root);
        Output.AddTo(root);
        root.SetAction(Run);
    }

    private static int Run(ParseResult pr)
    {
        var request = Scan.Read(pr, out string? error);
        if (request is null) return ScanRun.Fail(error!);
        using var sources = request.Sources;
        var plan = Planner.Plan(request.Inputs, request.Spec, request.PlanOptions, sources.Open);
        return ScanRun.Execute(pr, Output, new ScanJob(request.Spec, request.Db, plan.Tasks, plan.Failures, request.Patterns, request.Positional,
            request.Skipped, request.PlanOptions.Cores, sources));
    }
}
