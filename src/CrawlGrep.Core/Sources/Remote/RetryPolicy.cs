namespace CrawlGrep.Core.Sources.Remote;

/// <summary>
/// Retries with "full jitter" exponential backoff: try k waits a random time in [0, min(max, base·2^k)], so workers
/// that failed together do not come back together.
/// </summary>
public sealed class RetryPolicy(RemoteOptions options)
{
    public int MaxAttempts => Math.Max(1, options.MaxAttempts);

    public TimeSpan Delay(int failedAttempts)
    {
        double cap = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    /// <summary>Whether a failure is worth another try.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RemoteException r => r.Transient,
        OperationCanceledException => true, // a read or connect timeout
        HttpRequestException h => h.StatusCode is null || (int)h.StatusCode >= 500 || (int)h.StatusCode == 429,
        IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    public static bool IsThrottle(Exception e) => e is RemoteException { Throttled: true };

    /// <summary>A failure in the words a message about it uses (a cancelled request is one that timed out).</summary>
    public static string Describe(Exception e) => e is OperationCanceledException ? "timed out" : e.Message;
}
