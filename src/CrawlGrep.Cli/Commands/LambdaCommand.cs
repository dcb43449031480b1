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
        command.Subcommands.Add(CreatePackage());
        return command;
    }

    private static Command CreatePackage()
    {
        var output = new Option<string?>("--output", "-o") { Description = "The zip to write [default: crawlgrep-lambda-ARCH.zip]", HelpName = "FILE" };
        var arch = new Option<string>("--arch")
        {
            Description = "The function's architecture (this machine's by default)",
            HelpName = "x86_64|arm64",
            DefaultValueFactory = _ => LambdaArchitecture.Current?.Name ?? LambdaArchitecture.X86_64.Name,
        };
        arch.AcceptOnlyFromAmong(LambdaArchitecture.All.Select(a => a.Name).ToArray());
        var bootstrap = new Option<string?>("--bootstrap") { Description = "The Native AOT crawlgrep to ship [default: this executable, when it is one]", HelpName = "PATH" };
        var package = new Command("package", "Write the function's deployment zip: this Native AOT crawlgrep as bootstrap, and libdeflate when installed")
        {
            output, arch, bootstrap,
        };
        package.SetAction(pr => Package(LambdaArchitecture.Parse(pr.GetValue(arch)!)!, pr.GetValue(bootstrap), pr.GetValue(output)));
        return package;
    }

    public static int Package(LambdaArchitecture arch, string? bootstrap, string? output)
    {
        if (bootstrap is not null)
        {
            if (!File.Exists(bootstrap)) return ScanRun.Fail($"{bootstrap}: no such file");
            var found = LambdaArchitecture.OfElf(bootstrap);
            if (found != arch)
                return ScanRun.Fail($"{bootstrap} is not a Linux executable for {arch} ({(found is null ? "not a 64-bit ELF" : $"it is {found}")})");
        }
        else
        {
            // A JIT build (dotnet run, the apphost) needs the .NET runtime, which provided.al2023 lacks: only a Native AOT
            // build of the right architecture is a bootstrap.
            string? self = Environment.ProcessPath;
            bool native = !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;
            if (!native || self is null || LambdaArchitecture.OfElf(self) != arch)
                return ScanRun.Fail($"this crawlgrep is not a Native AOT build for {arch}: run scripts/publish-lambda.sh {arch} and use that build's " +
                                    "'crawlgrep lambda package' (or pass --bootstrap PATH)");
            bootstrap = self;
        }
        string zip = output ?? LambdaPackage.DefaultFileName(arch);
        string? libDeflate = LambdaPackage.FindLibDeflate(arch);
        try
        {
            LambdaPackage.Write(zip, bootstrap, libDeflate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ScanRun.Fail($"{zip}: {e.Message}");
        }
        long size = new FileInfo(zip).Length;
        Console.WriteLine($"{zip}: {size:N0} bytes ({size / (double)(1 << 20):0.0} MiB; {arch}; bootstrap{(libDeflate is null ? "" : $", {LambdaPackage.LibDeflateName}")})");
        if (libDeflate is null)
            Console.Error.WriteLine($"crawlgrep: note: {LambdaPackage.LibDeflateName} for {arch} is not installed here, so the function inflates gzip with zlib-ng (a little slower)");
        return 0;
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
