using System.CommandLine;
using CrawlGrep.Core.Execution.Lambda;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>Where a scan's tasks run when not on the local cores: the flags of an AWS Lambda fan-out.</summary>
internal sealed class LambdaFlags
{
    public const string FunctionVariable = "CRAWLGREP_LAMBDA", EndpointVariable = "CRAWLGREP_LAMBDA_ENDPOINT";

    public readonly Option<string?> Function = new("--lambda")
    {
        Description = $"Run the tasks on this AWS Lambda function (name or ARN; see README: Run on AWS Lambda) [default: {FunctionVariable}]",
        HelpName = "FUNCTION",
    };
    public readonly Option<string?> Endpoint = new("--lambda-endpoint") { Description = $"The Lambda API endpoint (an emulator, a VPC endpoint) [default: {EndpointVariable}, else AWS's]", HelpName = "URL" };
    public readonly Option<int?> Concurrency = new("--lambda-concurrency") { Description = "Invocations in flight at once [default: 100]", HelpName = "N" };
    public readonly Option<int?> Memory = new("--lambda-memory")
    {
        Description = $"The function's memory in MB, for the cost estimate [default: {LambdaCostModel.OneVcpuMb}, what deploy/crawlgrep.yaml sets]",
        HelpName = "MB",
    };
    public readonly Option<string?> Results = new("--results") { Description = "An s3://BUCKET/PREFIX/ where workers write partial results too large to return inline", HelpName = "S3URL" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Function, Endpoint, Concurrency, Memory, Results }) command.Options.Add(o);
    }

    /// <summary>The Lambda settings of a scan; null when it runs locally. <paramref name="error"/> says what is wrong.</summary>
    public LambdaSettings? Read(ParseResult pr, string? region, out string? error)
    {
        error = null;
        string? function = pr.GetValue(Function) ?? NonEmpty(Environment.GetEnvironmentVariable(FunctionVariable));
        if (function is null)
        {
            if (pr.GetValue(Results) is not null || pr.GetValue(Concurrency) is not null || pr.GetValue(Endpoint) is not null || pr.GetValue(Memory) is not null)
                error = "--results, --lambda-concurrency, --lambda-memory and --lambda-endpoint go with --lambda FUNCTION";
            return null;
        }
        try { LambdaFunctionName.Parse(function); }
        catch (ArgumentException e) { error = $"--lambda: {e.Message.Split(" (Parameter")[0]}"; return null; }
        string? endpoint = pr.GetValue(Endpoint) ?? NonEmpty(Environment.GetEnvironmentVariable(EndpointVariable));
        Uri? endpointUri = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) || endpointUri.Scheme is not ("http" or "https")))
        {
            error = $"--lambda-endpoint: not an http(s) URL: {endpoint}";
            return null;
        }
        string? results = pr.GetValue(Results);
        if (results is not null && !S3Provider.NamesBucket(results))
        {
            error = $"--results: an s3://BUCKET/PREFIX/ URL, not {results}";
            return null;
        }
        int concurrency = pr.GetValue(Concurrency) ?? 100;
        if (concurrency < 1) { error = "--lambda-concurrency: at least 1"; return null; }
        int memory = pr.GetValue(Memory) ?? LambdaCostModel.OneVcpuMb;
        if (memory is < 128 or > 10_240) { error = "--lambda-memory: Lambda functions have 128 to 10,240 MB"; return null; }
        return new LambdaSettings(function, endpointUri, region, concurrency, results, memory);
    }

    /// <summary>
    /// The executor's settings with what the environment changes: CRAWLGREP_LAMBDA_INLINE_LIMIT (the largest partial a
    /// worker returns inline, in bytes) and CRAWLGREP_RETRY_BASE_MS (the first retry delay); tests make both small.
    /// </summary>
    public static LambdaExecutorOptions FromEnvironment(LambdaExecutorOptions o)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_LAMBDA_INLINE_LIMIT"), out int inline) && inline >= 0)
            o = o with { MaxInlineBytes = Math.Min(inline, LambdaLimits.DefaultMaxInlinePartial) };
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_RETRY_BASE_MS"), out int ms) && ms >= 0)
            o = o with { RetryBaseDelay = TimeSpan.FromMilliseconds(ms), RetryMaxDelay = TimeSpan.FromMilliseconds(Math.Max(ms * 16, 1)) };
        return o;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A scan's Lambda fan-out: the function, how it is reached, and how many tasks run at once.</summary>
internal sealed record LambdaSettings(string Function, Uri? Endpoint, string? Region, int Concurrency, string? Results, int MemoryMb)
{
    /// <summary>The scan's cost and time on Lambda in one line, from the scan speed of these patterns measured here.</summary>
    public string Estimate(IReadOnlyList<Core.Planning.ScanTask> tasks, Core.Scanning.ScanOptions options)
    {
        double speed = Core.Planning.ScanSpeed.MeasureBytesPerSecond(options);
        return LambdaCostModel.Describe(LambdaCostModel.Estimate(tasks, speed, MemoryMb, Concurrency), speed);
    }
}
