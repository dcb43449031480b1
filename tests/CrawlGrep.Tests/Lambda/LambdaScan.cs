using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// What the Lambda scan tests share: the archives in s3rver, an emulator running the real worker (the built
/// <c>crawlgrep lambda worker</c>) as processes, and the command lines of a local scan and its Lambda twin.
/// </summary>
internal static class LambdaScan
{
    public const string Bucket = "lambda-scans", Function = "crawlgrep-worker";

    /// <summary>The caller's keys: those of s3rver, so the caller also plans s3:// inputs with them.</summary>
    public static readonly AwsKeys Caller = new(S3rver.AccessKey, S3rver.SecretKey);

    /// <summary>A caller that can call the function but not read s3rver.</summary>
    public static readonly AwsKeys InvokeOnly = new("AKIDINVOKEONLY", "invoke/only/secret/key/abcdefghijklmnop");

    private static readonly HashSet<S3rver> Uploaded = new();

    /// <summary>Every real archive and the generated gzip, zstd and plain corpora, uploaded once per s3rver: their s3:// names.</summary>
    public static IReadOnlyList<string> Upload(S3rver s3)
    {
        var files = RemoteScan.RealArchives().Select(f => (Local: RealData.PathOf(f), Key: "real/" + f))
            .Concat(RemoteScan.GeneratedFiles.Select(f => (Local: f, Key: "generated/" + Path.GetFileName(f)))).ToList();
        lock (Uploaded)
        {
            if (Uploaded.Add(s3))
            {
                s3.CreateBucket(Bucket);
                foreach (var (local, key) in files) s3.Upload(Bucket, key, local);
            }
        }
        return files.Select(f => $"s3://{Bucket}/{f.Key}").ToList();
    }

    /// <summary>
    /// An emulator whose workers are the built crawlgrep, reading s3rver with the function's keys (s3rver's). Their
    /// source retries wait a millisecond (CRAWLGREP_RETRY_BASE_MS=1) unless <paramref name="workerEnvironment"/> says otherwise.
    /// </summary>
    public static LambdaEmulator Emulator(int concurrency = 4, double timeoutSeconds = 30, IReadOnlyList<AwsKeys>? callers = null,
        IReadOnlyDictionary<string, string>? workerEnvironment = null) => new(new EmulatorOptions
    {
        Command = new WorkerCommand("dotnet", Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"), "lambda", "worker"),
        FunctionName = Function,
        Concurrency = concurrency,
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Callers = callers ?? [Caller, InvokeOnly],
        FunctionKeys = new AwsKeys(S3rver.AccessKey, S3rver.SecretKey, "function-role-session-token"),
        Environment = workerEnvironment ?? new Dictionary<string, string> { ["CRAWLGREP_RETRY_BASE_MS"] = "1" },
    });

    /// <summary>The environment of a crawlgrep run by the caller with <paramref name="keys"/>.</summary>
    public static Dictionary<string, string?> Env(AwsKeys? keys = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        keys ??= Caller;
        var env = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = keys.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = keys.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = keys.SessionToken,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_PROFILE"] = null,
            ["CRAWLGREP_LAMBDA"] = null,
            ["CRAWLGREP_LAMBDA_ENDPOINT"] = null,
            ["CRAWLGREP_RETRY_BASE_MS"] = "1",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) env[k] = v;
        return env;
    }

    /// <summary>The flags that send a scan to the emulated function.</summary>
    public static string[] OnLambda(LambdaEmulator emulator, int concurrency) =>
        ["--lambda", Function, "--lambda-endpoint", emulator.Endpoint, "--lambda-concurrency", concurrency.ToString()];

    /// <summary>Every column of every hit but the scan id, in one order: two scans that found the same compare equal.</summary>
    public static string[] HitRows(string dir, string db) =>
        Cli.Run(dir, "sql", "--db", db, "--csv", "SELECT * EXCLUDE (scan_id) FROM hits ORDER BY ALL").Lines;

    /// <summary>(tasks rows, distinct task ids, done rows) of scan 1.</summary>
    public static string TaskRows(string dir, string db) =>
        Cli.Run(dir, "sql", "--db", db, "--csv", "SELECT count(*), count(DISTINCT task_id), count(*) FILTER (status = 'done') FROM tasks WHERE scan_id = 1").Lines[1];

    /// <summary>The tasks rows of scan 1.</summary>
    public static string TaskCount(string dir, string db) =>
        Cli.Run(dir, "sql", "--db", db, "--csv", "SELECT count(*) FROM tasks WHERE scan_id = 1").Lines[1];

    /// <summary>The scan's patterns: common words and a regex, over every record type, so every archive has hits.</summary>
    public static readonly string[] Patterns = ["-i", "--type", "all", "-e", "the", "-e", "http", "-e", "warc", "-e", "[0-9]{4}"];
}
