using System.CommandLine;
using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep lambda ...</c>: the AWS Lambda side of crawlgrep (the worker a function runs).</summary>
public static class LambdaCommand
{
    /// <summary>The variable Lambda sets for a custom runtime: the host:port of its Runtime API.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    public static Command Create()
    {
        var command = new Command("lambda", "Run crawlgrep on AWS Lambda: the worker a function runs");
        var worker = new Command("worker", $"Serve the Lambda Runtime API loop (what the function's bootstrap runs; needs {RuntimeApiVariable})");
        worker.SetAction(_ => RunWorker());
        command.Subcommands.Add(worker);
        return command;
    }

    /// <summary>True when this process is a Lambda function's bootstrap: then it is the worker, whatever its arguments.</summary>
    public static bool IsBootstrap(string[] args) =>
        args.Length == 0 && Path.GetFileName(Environment.ProcessPath ?? "") == "bootstrap"
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RuntimeApiVariable));

    public static int RunWorker()
    {
        string? api = Environment.GetEnvironmentVariable(RuntimeApiVariable);
        if (string.IsNullOrEmpty(api))
            return ScanRun.Fail($"{RuntimeApiVariable} is not set: the worker runs inside an AWS Lambda function (see README: Run on AWS Lambda)");
        using var worker = new LambdaWorker(api, Console.Error);
        using var stop = new CancellationTokenSource();
        // Lambda ends an environment with SIGTERM (after its extensions' shutdown): stop waiting for work.
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        return worker.RunAsync(stop.Token).GetAwaiter().GetResult();
    }
}
