namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// What the emulated function is and how strict the emulator is with it. Defaults are Lambda's own where Lambda has
/// one (6 MB payloads, 1 MB events, 15 minutes of clock skew, Retry-After of a second, two retries of a failed event,
/// an account limit of 1,000); only the worker command is required. Event retry delays are Lambda's divided by 300,
/// so that a test sees all three attempts in well under a second.
/// </summary>
public sealed record EmulatorOptions
{
    /// <summary>Lambda's limit on a synchronous request and response payload: 6 MB.</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's limit on an asynchronous (Event) request payload: 1 MB.</summary>
    public const int MaxEventPayloadBytes = 1024 * 1024;

    /// <summary>Reserved concurrency may not take the account's unreserved pool below this.</summary>
    public const int MinimumUnreservedConcurrency = 100;

    public required WorkerCommand Command { get; init; }

    public string FunctionName { get; init; } = "crawlgrep-worker";

    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Key pairs allowed to call Invoke. A pair with a session token also requires that X-Amz-Security-Token.</summary>
    public IReadOnlyList<AwsKeys> Callers { get; init; } = [new("AKIDEMULATORCALLER", "emulator/caller/secret/key/0123456789abcdef")];

    /// <summary>The function's role, given to workers as AWS_ACCESS_KEY_ID etc.; never one of the callers' keys.</summary>
    public AwsKeys FunctionKeys { get; init; } = new("ASIAEMULATORFUNCTION", "emulator/function/role/secret/0123456789", "emulator-function-session-token");

    /// <summary>
    /// At most this many invocations in flight; past it Invoke answers 429. It is the function's reserved concurrency
    /// when <see cref="ConcurrencyReserved"/>, else the share of the account's unreserved pool this function gets.
    /// <see cref="LambdaEmulator.SetConcurrency"/> changes it while the emulator runs.
    /// </summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// Whether <see cref="Concurrency"/> is reserved for the function (PutFunctionConcurrency): GetFunction shows it,
    /// the account's unreserved pool is smaller by it, and a 429's Reason says so.
    /// </summary>
    public bool ConcurrencyReserved { get; init; } = true;

    /// <summary>The account's concurrency limit in the region (GetAccountSettings' ConcurrentExecutions).</summary>
    public int AccountConcurrency { get; init; } = 1000;

    /// <summary>
    /// How long a failed event waits before each retry; one entry per retry (Lambda's MaximumRetryAttempts, 2 by
    /// default). Lambda waits about 1 minute, then 2.
    /// </summary>
    public IReadOnlyList<TimeSpan> EventRetryDelays { get; init; } = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];

    /// <summary>Seconds in the Retry-After header of a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>The function timeout: an invocation running longer has its worker killed (Sandbox.Timedout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a new worker may take to ask for its first invocation (Lambda's init phase allows 10 s).</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MemorySizeMb { get; init; } = 1769;

    /// <summary>The instruction set GetFunction reports (x86_64 or arm64); the workers run on this machine's either way.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = ["x86_64"];

    /// <summary>The deployment package's size, as GetFunction and GetAccountSettings report it; nothing runs from it.</summary>
    public long CodeSizeBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>LAMBDA_TASK_ROOT and the workers' working directory; the command's folder when null.</summary>
    public string? TaskRoot { get; init; }

    public string Handler { get; init; } = "bootstrap";

    /// <summary>Extra variables for the workers (the function's configured environment).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Largest X-Amz-Date distance from the emulator's clock that a signature may have.</summary>
    public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a finished invocation waits for its worker's last output lines to arrive through the pipes.</summary>
    public TimeSpan LogSettle { get; init; } = TimeSpan.FromMilliseconds(30);

    public string FunctionArn => $"arn:aws:lambda:{Region}:{AccountId}:function:{FunctionName}";
}
