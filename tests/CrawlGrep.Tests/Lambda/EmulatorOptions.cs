namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// What the emulated function is and how strict the emulator is with it. Defaults are Lambda's own where Lambda has
/// one (6 MB payloads, 15 minutes of clock skew, Retry-After of a second); only the worker command is required.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Lambda's limit on a synchronous request and response payload: 6 MB.</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    public required WorkerCommand Command { get; init; }

    public string FunctionName { get; init; } = "crawlgrep-worker";

    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Key pairs allowed to call Invoke. A pair with a session token also requires that X-Amz-Security-Token.</summary>
    public IReadOnlyList<AwsKeys> Callers { get; init; } = [new("AKIDEMULATORCALLER", "emulator/caller/secret/key/0123456789abcdef")];

    /// <summary>The function's role, given to workers as AWS_ACCESS_KEY_ID etc.; never one of the callers' keys.</summary>
    public AwsKeys FunctionKeys { get; init; } = new("ASIAEMULATORFUNCTION", "emulator/function/role/secret/0123456789", "emulator-function-session-token");

    /// <summary>At most this many invocations in flight (reserved concurrency); past it Invoke answers 429.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Seconds in the Retry-After header of a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>The function timeout: an invocation running longer has its worker killed (Sandbox.Timedout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a new worker may take to ask for its first invocation (Lambda's init phase allows 10 s).</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MemorySizeMb { get; init; } = 1769;

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
