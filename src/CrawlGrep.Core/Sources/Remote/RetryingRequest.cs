namespace CrawlGrep.Core.Sources.Remote;

/// <summary>
/// One request without a body to stream (a HEAD, a listing page), tried until it succeeds or fails
/// <see cref="RetryPolicy.MaxAttempts"/> times, paced by the scan's <see cref="RequestPacer"/>.
/// </summary>
public static class RetryingRequest
{
    public static T Run<T>(RemoteOptions options, RequestPacer pacer, TransferCounters counters, Func<CancellationToken, T> request)
    {
        var retry = new RetryPolicy(options);
        for (int failures = 0; ; )
        {
            pacer.WaitTurn(CancellationToken.None);
            counters.Request();
            try
            {
                using var timeout = new CancellationTokenSource(options.ReadTimeout);
                var result = request(timeout.Token);
                pacer.OnSuccess();
                return result;
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e))
            {
                if (RetryPolicy.IsThrottle(e)) pacer.OnThrottled();
                if (++failures >= retry.MaxAttempts)
                    throw new IOException($"{(e is OperationCanceledException ? "timed out" : e.Message)} (after {failures} tries)", e);
                counters.Retry();
                Thread.Sleep(retry.Delay(failures - 1));
            }
        }
    }
}
