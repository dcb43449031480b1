namespace CrawlGrep.Tests.Remote;

/// <summary>
/// What a <see cref="FaultProxy"/> does to the traffic it forwards. Immutable: a test swaps the whole plan
/// (<c>proxy.Plan = plan with { ... }</c>), which restarts its counts and its random sequence.
/// Random and first-N faults hit GET requests only (HEAD, PUT and POST pass untouched, so uploads and size
/// lookups through the proxy work) unless <see cref="GetOnly"/> is false; <see cref="AlwaysFail"/> hits every
/// method.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>Forward everything unchanged.</summary>
    public static FaultPlan None { get; } = new();

    /// <summary>The first N requests (that faults apply to) get 503 SlowDown at once, without being forwarded.</summary>
    public int Fail503First { get; init; }

    /// <summary>Probability that a request gets 503 SlowDown at once, without being forwarded.</summary>
    public double Fail503Rate { get; init; }

    /// <summary>Probability that a response body is cut by a TCP reset at a random offset.</summary>
    public double ResetRate { get; init; }

    /// <summary>Probability that a response body is cut by a clean close (FIN) at a random offset, short of its Content-Length.</summary>
    public double TruncateRate { get; init; }

    /// <summary>Probability that a response body stalls for <see cref="SlowDelay"/> at a random offset, then goes on.</summary>
    public double SlowRate { get; init; }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests whose target (path and query) this accepts always get <see cref="AlwaysFailStatus"/>: a permanently failing object.</summary>
    public Func<string, bool>? AlwaysFail { get; init; }

    public int AlwaysFailStatus { get; init; } = 503;

    /// <summary>When set, the error responses the proxy makes carry <c>Retry-After: N</c> (seconds).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Seed of the random draws, so a failing run can be repeated (as far as concurrency allows).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When true (the default), random and first-N faults apply to GET requests only.</summary>
    public bool GetOnly { get; init; } = true;
}
