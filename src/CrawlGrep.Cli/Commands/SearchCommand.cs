using System.CommandLine;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Cli.Commands;

/// <summary>The main command: <c>crawlgrep [OPTIONS] PATTERN PATH...</c>, grep over web archives.</summary>
public static class SearchCommand
{
    public const int ExitMatch = ScanRun.ExitMatch, ExitNoMatch = ScanRun.ExitNoMatch, ExitError = ScanRun.ExitError;

    private static readonly ScanFlags Scan = new();
    private static readonly OutputFlags Output = new();
    private static readonly LambdaFlags Lambda = new();

    public static void AddTo(Command root)
    {
        Scan.AddTo(root);
        Output.AddTo(root);
        Lambda.AddTo(root);
        root.SetAction(Run);
    }

    private static int Run(ParseResult pr)
    {
        var request = Scan.Read(pr, out string? error);
        if (request is null) return ScanRun.Fail(error!);
        var lambda = Lambda.Read(pr, request.Sources.Options.Region, out error);
        if (error is not null || (lambda is not null && (error = ScanRun.LocalInputOnLambda(request.Inputs)) is not null))
        {
            request.Sources.Dispose();
            return ScanRun.Fail(error!);
        }
        using var sources = request.Sources;
        if (request.NothingSelected(pr.GetValue(Scan.Crawl)!) is int none) return none;
        // On Lambda, ranges are cut for the invocations in flight, not for this machine's cores.
        var planOptions = lambda is null ? request.PlanOptions : request.PlanOptions with { Cores = lambda.PlanConcurrency };
        var plan = request.Plan(planOptions);
        return ScanRun.Execute(pr, Output, new ScanJob(request.Spec, request.Db, plan.Tasks, plan.Failures, request.Patterns, request.Positional,
            request.Skipped, request.PlanOptions.Cores, sources) { Lambda = lambda, OnRecorded = request.KeepIndexColumns, RecordGap = request.MaxGap });
    }
}
