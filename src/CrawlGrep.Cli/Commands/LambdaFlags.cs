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
    public readonly Option<int?> Concurrency = new("--lambda-concurrency")
    {
        Description = "Invocations in flight at most; the fleet ramps up to it as Lambda allows and backs off when throttled " +
                      "[default: the function's reserved concurrency, else what the account leaves unreserved, at most 1,000]",
        HelpName = "N",
    };
    public readonly Option<double?> MaxCost = new("--max-cost")
    {
        Description = "Refuse to start a Lambda scan estimated above DOLLARS, and stop invoking before the bill passes it (resume goes on)",
        HelpName = "DOLLARS",
    };
    public readonly Option<int?> Memory = new("--lambda-memory")
    {
        Description = $"The function's memory in MB, for the cost estimate [default: {LambdaCostModel.OneVcpuMb}, what deploy/crawlgrep.yaml sets]",
        HelpName = "MB",
    };
    public readonly Option<string?> Results = new("--results") { Description = "An s3://BUCKET/PREFIX/ where workers write partial results too large to return inline", HelpName = "S3URL" };

    public readonly Option<bool> Detach = new("--detach")
    {
        Description = "Invoke the tasks asynchronously and return at once with the scan id; workers write results to --results, " +
                      "and crawlgrep collect SCAN_ID gathers them",
    };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Function, Endpoint, Concurrency, Memory, Results, MaxCost, Detach }) command.Options.Add(o);
    }

    /// <summary>The Lambda settings of a scan; null when it runs locally. <paramref name="error"/> says what is wrong.</summary>
    public LambdaSettings? Read(ParseResult pr, string? region, out string? error)
    {
        error = null;
        string? function = pr.GetValue(Function) ?? NonEmpty(Environment.GetEnvironmentVariable(FunctionVariable));
        if (function is null)
        {
            if (pr.GetValue(Results) is not null || pr.GetValue(Concurrency) is not null || pr.GetValue(Endpoint) is not null || pr.GetValue(Memory) is not null
                || pr.GetValue(MaxCost) is not null || pr.GetValue(Detach))
                error = "--results, --lambda-concurrency, --lambda-memory, --lambda-endpoint, --max-cost and --detach go with --lambda FUNCTION";
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
        int? concurrency = pr.GetValue(Concurrency);
        if (concurrency < 1) { error = "--lambda-concurrency: at least 1"; return null; }
        int? memory = pr.GetValue(Memory);
        if (memory is < 128 or > 10_240) { error = "--lambda-memory: Lambda functions have 128 to 10,240 MB"; return null; }
        double? maxCost = pr.GetValue(MaxCost);
        if (maxCost is <= 0 || (maxCost is double m && !double.IsFinite(m))) { error = "--max-cost: a number of dollars above 0"; return null; }
        bool detach = pr.GetValue(Detach);
        if (detach && results is null) { error = "--detach: workers write every result to S3: give --results s3://BUCKET/PREFIX/"; return null; }
        return new LambdaSettings(function, endpointUri, region, concurrency, results, memory, maxCost) { Detach = detach };
    }

    /// <summary>
    /// The executor's settings with what the environment changes: CRAWLGREP_LAMBDA_INLINE_LIMIT (the largest partial a
    /// worker returns inline, in bytes) and CRAWLGREP_RETRY_BASE_MS (the first retry delay), which tests make small, and
    /// CRAWLGREP_SPECULATION=off (no copies of stragglers: a test whose bills must match the invocations exactly).
    /// </summary>
    public static LambdaExecutorOptions FromEnvironment(LambdaExecutorOptions o)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_LAMBDA_INLINE_LIMIT"), out int inline) && inline >= 0)
            o = o with { MaxInlineBytes = Math.Min(inline, LambdaLimits.DefaultMaxInlinePartial) };
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_RETRY_BASE_MS"), out int ms) && ms >= 0)
            o = o with { RetryBaseDelay = TimeSpan.FromMilliseconds(ms), RetryMaxDelay = TimeSpan.FromMilliseconds(Math.Max(ms * 16, 1)) };
        if (string.Equals(Environment.GetEnvironmentVariable("CRAWLGREP_SPECULATION"), "off", StringComparison.OrdinalIgnoreCase))
            o = o with { Speculation = o.Speculation with { Enabled = false } };
        return o;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A scan's Lambda fan-out as asked for: the function, how it is reached, and the limits given (null: found out).</summary>
internal sealed record LambdaSettings(string Function, Uri? Endpoint, string? Region, int? Concurrency, string? Results, int? MemoryMb, double? MaxCost)
{
    /// <summary>What the fleet is sized at when nothing says otherwise: Lambda's default account limit.</summary>
    public const int DefaultConcurrency = 1000;

    /// <summary>Invoke asynchronously and return at once (<c>--detach</c>).</summary>
    public bool Detach { get; init; }

    /// <summary>The invocations in flight a plan cuts ranges for.</summary>
    public int PlanConcurrency => Concurrency ?? DefaultConcurrency;

    /// <summary>
    /// The function as Lambda describes it (memory, architecture, reserved concurrency) and what the account leaves
    /// unreserved: the fleet's size, price and memory where the flags do not say. A caller allowed only to invoke
    /// gets the defaults, and a note saying so.
    /// </summary>
    public LambdaTarget Resolve(LambdaClient client, CancellationToken ct)
    {
        LambdaFunctionInfo? info = null;
        LambdaAccountLimits? account = null;
        string? note = null;
        try { info = client.GetFunctionAsync(Function, ct).GetAwaiter().GetResult(); }
        // A caller allowed to invoke but not to read the function's settings (or a service hiccup) gets the defaults;
        // a wrong key, no such function or no endpoint stops here, in one line, as the first invocation would.
        catch (LambdaException e) when (e.ErrorType == "AccessDeniedException" || e.StatusCode >= 500)
        {
            note = $"the function's settings could not be read ({e.ErrorType ?? e.StatusCode.ToString()}): assuming {MemoryMb ?? LambdaCostModel.OneVcpuMb} MB, x86_64, " +
                   $"{Concurrency ?? DefaultConcurrency} in flight";
        }
        if (Concurrency is null && info?.ReservedConcurrency is null)
        {
            try { account = client.GetAccountSettingsAsync(info is null ? Region : LambdaFunctionName.Parse(info.Arn).Region ?? Region, ct).GetAwaiter().GetResult(); }
            catch (LambdaException) { }
        }
        int concurrency = Concurrency ?? info?.ReservedConcurrency ?? Math.Min(DefaultConcurrency, Math.Max(1, account?.UnreservedConcurrentExecutions ?? DefaultConcurrency));
        int memory = info?.MemorySizeMb ?? MemoryMb ?? LambdaCostModel.OneVcpuMb;
        bool arm = info?.Architecture == "arm64";
        return new LambdaTarget(concurrency, memory, arm ? "arm64" : "x86_64", arm ? LambdaRate.Arm64() : LambdaRate.X86_64(), note);
    }

    /// <summary>How the executor runs a scan's tasks on this function (with what the environment changes: see FromEnvironment).</summary>
    public LambdaExecutorOptions ExecutorOptions(LambdaTarget target, string scanKey, Core.Planning.PlanRemote? remote, bool linesOnly) =>
        LambdaFlags.FromEnvironment(new LambdaExecutorOptions
        {
            Function = Function, Concurrency = target.Concurrency, Results = Results, ScanKey = scanKey, Remote = remote, LinesOnly = linesOnly,
            MaxCostDollars = MaxCost, Rate = target.Rate, MemoryMb = target.MemoryMb,
        });

    /// <summary>The scan's cost and time on Lambda, from the scan speed of these patterns measured here.</summary>
    public static (LambdaEstimate Estimate, double Speed) Estimate(IReadOnlyList<Core.Planning.ScanTask> tasks, Core.Scanning.ScanOptions options, int memoryMb, int concurrency)
    {
        double speed = Core.Planning.ScanSpeed.MeasureBytesPerSecond(options);
        return (LambdaCostModel.Estimate(tasks, speed, memoryMb, concurrency), speed);
    }
}

/// <summary>The function a scan runs on, resolved: how many in flight, its memory, architecture and price.</summary>
internal sealed record LambdaTarget(int Concurrency, int MemoryMb, string Architecture, LambdaRate Rate, string? Note)
{
    public double Dollars(LambdaEstimate e) => Architecture == "arm64" ? e.TotalArm64 : e.TotalX86;
}
