using System.Diagnostics;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Generation;
using CrawlGrep.Tests.Lambda;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Bench;

/// <summary>
/// The Lambda path against the local one, in one run: the Native AOT crawlgrep scanning one ~420 MB (uncompressed)
/// CC-shaped .warc.gz in s3rver as one task, on one local core and on one warm worker of the Lambda emulator (same
/// binary, same bytes over the same loopback): what the Invoke and Runtime API round trip, the partial's encoding
/// and its reduction cost. Beside them, one tiny task on a warm worker (the client's overhead per invocation) and a
/// cold start (a new worker process to its first /next).
/// </summary>
[Config(typeof(Config))]
public class LambdaBenchmarks
{
    private const string Bucket = "bench", Pattern = "privacy";

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1)
                .WithStrategy(RunStrategy.Monitoring));
        }
    }

    private readonly S3rver _s3 = new();
    private LambdaEmulator? _warm;
    private string _binary = "", _big = "", _tiny = "";
    private readonly List<double> _initMs = [], _overheadMs = [];

    [GlobalSetup]
    public void Setup()
    {
        _binary = PublishLambdaBinary();
        string dir = Path.Combine(BenchCorpus.Directory, "lambda-seed3-420MB");
        string big = Path.Combine(dir, CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip));
        if (!File.Exists(big + ".uncompressed-bytes"))
        {
            Directory.CreateDirectory(dir);
            var made = new CorpusGenerator(new CorpusOptions { Seed = 3, TargetSize = 420L * 1000 * 1000, Kinds = CorpusKinds.Warc }).Generate(dir);
            File.WriteAllText(big + ".uncompressed-bytes", made.Files.Single(f => f.Kind == CorpusKinds.Warc).UncompressedBytes.ToString());
            Console.WriteLine($"// {big}: {new FileInfo(big).Length:N0} bytes");
        }
        if (_s3.Require(new ConsoleOutput()) is null) throw new InvalidOperationException("s3rver is needed: run scripts/test.sh once to install it");
        _s3.CreateBucket(Bucket);
        _s3.Upload(Bucket, "big.warc.gz", big);
        string tiny = Path.Combine(dir, "tiny.warc.gz");
        if (!File.Exists(tiny))
            using (var f = File.Create(tiny)) new CorpusGenerator(new CorpusOptions { Seed = 4, TargetSize = 20_000, Kinds = CorpusKinds.Warc }).Generate(f, null, null);
        _s3.Upload(Bucket, "tiny.warc.gz", tiny);
        (_big, _tiny) = ($"s3://{Bucket}/big.warc.gz", $"s3://{Bucket}/tiny.warc.gz");
        _warm = Emulator();
        Lambda(_warm, _tiny); // the worker starts: later runs find it warm
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _warm?.Dispose();
        _s3.Dispose();
        Console.WriteLine($"// client overhead per invocation (the caller's time less the worker's Duration), tiny task, warm worker: " +
                          $"p50 {Percentile(_overheadMs, 0.5):0.0} ms, p90 {Percentile(_overheadMs, 0.9):0.0} ms over {_overheadMs.Count}");
        Console.WriteLine($"// worker process start to its first /next (Init Duration): p50 {Percentile(_initMs, 0.5):0.0} ms over {_initMs.Count} cold starts");
    }

    [Benchmark(Baseline = true, Description = "local, one core, one task")]
    public int Local() => Run(["-j", "1", "--split", "4G", "-c", "--no-db", "--s3-endpoint", _s3.Endpoint, "-i", Pattern, _big]);

    [Benchmark(Description = "Lambda emulator, one warm worker, one task")]
    public int OneWorker() => Lambda(_warm!, _big);

    /// <summary>100 tiny tasks one after another on a warm worker, through the production client: the per-invocation cost.</summary>
    [Benchmark(Description = "100 tiny tasks, one at a time, warm worker")]
    public async Task<int> TinyTasks()
    {
        using var client = new Core.Execution.Lambda.LambdaClient(new Core.Execution.Lambda.LambdaClientOptions
        {
            Endpoint = new Uri(_warm!.Endpoint), Region = "us-east-1",
            Credentials = new Amazon.Runtime.BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey),
        });
        var spec = new Core.Planning.ScanSpec { Patterns = new Core.Planning.TaskPatterns { Items = [Pattern] } };
        var task = new Core.Planning.ScanTask { Source = _tiny, Start = 0, End = new FileInfo(Path.Combine(BenchCorpus.Directory, "lambda-seed3-420MB", "tiny.warc.gz")).Length, Format = "auto", Spec = spec }.WithId();
        var payload = new Core.Execution.Lambda.LambdaTaskEvent { Task = task, ScanKey = "bench", Remote = new Core.Planning.PlanRemote(_s3.Endpoint, null) }.ToJsonBytes();
        int ok = 0;
        for (int i = 0; i < 100; i++)
        {
            var clock = Stopwatch.StartNew();
            var r = await client.InvokeAsync(Function, payload, CancellationToken.None);
            double ms = clock.Elapsed.TotalMilliseconds;
            if (r.Succeeded) ok++;
            if (r.Report?.DurationMs is double worker) lock (_overheadMs) _overheadMs.Add(ms - worker);
        }
        return ok;
    }

    /// <summary>A new worker process for one tiny task: its Init Duration is the start to its first /next.</summary>
    [Benchmark(Description = "cold start and one tiny task")]
    public int ColdStart()
    {
        using var emulator = Emulator();
        int code = Lambda(emulator, _tiny);
        foreach (var i in emulator.Invocations)
        {
            var init = Regex.Match(i.Log, @"Init Duration: ([0-9.]+) ms");
            if (init.Success) lock (_initMs) _initMs.Add(double.Parse(init.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return code;
    }

    private const string Function = "crawlgrep-worker";

    private LambdaEmulator Emulator() => new(new EmulatorOptions
    {
        Command = new WorkerCommand(_binary, "lambda", "worker"),
        FunctionName = Function,
        Concurrency = 1,
        Timeout = TimeSpan.FromMinutes(5),
        Callers = [new AwsKeys(S3rver.AccessKey, S3rver.SecretKey)],
        FunctionKeys = new AwsKeys(S3rver.AccessKey, S3rver.SecretKey, "function-role-session-token"),
        // The emulator waits this long for a worker's last log lines before it answers; Lambda itself does not make
        // the caller wait for the logs, so it is no part of what is measured here.
        LogSettle = TimeSpan.FromMilliseconds(1),
    });

    private int Lambda(LambdaEmulator emulator, string input) =>
        Run(["--lambda", Function, "--lambda-endpoint", emulator.Endpoint, "--lambda-concurrency", "1", "--split", "4G", "-c", "--no-db",
             "--s3-endpoint", _s3.Endpoint, "-i", Pattern, input]);

    private int Run(string[] args)
    {
        var psi = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["AWS_ACCESS_KEY_ID"] = S3rver.AccessKey;
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = S3rver.SecretKey;
        psi.Environment["AWS_REGION"] = "us-east-1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode > 1) throw new InvalidOperationException($"crawlgrep {string.Join(' ', args)}: exit {p.ExitCode}: {stderr}");
        return stdout.Result.Length;
    }

    /// <summary>The Native AOT build the Lambda package ships (scripts/publish-lambda.sh; rebuilt only when the sources changed).</summary>
    private static string PublishLambdaBinary()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CrawlGrep.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("run from the repository");
        var psi = new ProcessStartInfo(Path.Combine(root, "scripts", "publish-lambda.sh"), "x86_64") { WorkingDirectory = root, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("scripts/publish-lambda.sh x86_64 failed");
        string binary = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return Path.GetFullPath(binary, root);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private sealed class ConsoleOutput : Xunit.Abstractions.ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine(message);
        public void WriteLine(string format, params object[] args) => Console.WriteLine(format, args);
    }
}
