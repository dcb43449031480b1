using System.CommandLine;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep resume SCAN_ID</c>: runs the tasks of a recorded scan that failed or never ran (a crash, a network
/// that gave up) and the inputs that could not be planned, adding their hits to the same scan. What a failed task
/// had found before it failed is replaced by its new run, so no hit is counted twice.
/// </summary>
public static class ResumeCommand
{
    public static Command Create()
    {
        var scanIdArg = new Argument<long>("SCAN_ID") { Description = "The scan to finish (see: crawlgrep query scans)" };
        var db = new Option<string>("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
        var threads = ScanFlags.ThreadsOption();
        var output = new OutputFlags();
        var remote = new RemoteFlags();
        var lambda = new LambdaFlags();
        var command = new Command("resume", "Run what is left of an incomplete scan: its failed tasks and those that never ran");
        command.Arguments.Add(scanIdArg);
        command.Options.Add(db);
        command.Options.Add(threads);
        output.AddTo(command);
        remote.AddTo(command);
        lambda.AddTo(command);
        command.SetAction(pr =>
        {
            var outcome = ScanResume.Run(pr.GetValue(db)!, pr.GetValue(scanIdArg), output.Read(pr), ScanFlags.ThreadCount(pr.GetValue(threads)),
                saved => remote.Resolver(pr, saved), sources => (lambda.Read(pr, sources.Options.Region, out string? error), error));
            return outcome.Code;
        });
        return command;
    }
}
