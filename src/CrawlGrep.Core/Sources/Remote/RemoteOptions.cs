namespace CrawlGrep.Core.Sources.Remote;

/// <summary>How remote sources (s3://, https://) are reached, retried and paced.</summary>
public sealed record RemoteOptions
{
    /// <summary>An S3-compatible endpoint (--s3-endpoint), e.g. http://127.0.0.1:4568; null for AWS itself.</summary>
    public string? S3Endpoint { get; init; }

    /// <summary>The AWS region; null for the SDK's own lookup (AWS_REGION, the profile), else us-east-1, Common Crawl's.</summary>
    public string? Region { get; init; }

    /// <summary>Tries of one request before it fails; progress made by a body resets the count.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The first backoff; each further try doubles it (jittered), up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A body that sends nothing for this long is dropped and asked for again from where it stopped.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What a task's first request asks for beyond the end of its range: its last record usually ends within it, so
    /// one request covers the task; a longer record costs one more request (of 1 MiB, then doubling).
    /// </summary>
    public long RangeSlack { get; init; } = 256 << 10;

    /// <summary>The defaults, with the retry delays of CRAWLGREP_RETRY_BASE_MS when set (tests make them short).</summary>
    public static RemoteOptions FromEnvironment()
    {
        var o = new RemoteOptions();
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_RETRY_BASE_MS"), out int ms) && ms >= 0)
            o = o with { RetryBaseDelay = TimeSpan.FromMilliseconds(ms), RetryMaxDelay = TimeSpan.FromMilliseconds(Math.Max(ms * 16, 1)) };
        if (int.TryParse(Environment.GetEnvironmentVariable("CRAWLGREP_READ_TIMEOUT_MS"), out int rt) && rt > 0)
            o = o with { ReadTimeout = TimeSpan.FromMilliseconds(rt) };
        return o;
    }
}
