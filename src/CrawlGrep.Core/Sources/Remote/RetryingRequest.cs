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
            try { pacer.WaitTurn(pacer.Stopping); }
            catch (OperationCanceledException) { throw new IOException("the scan was stopped"); }
            counters.Request();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(pacer.Stopping);
                timeout.CancelAfter(options.ReadTimeout);
                var result = request(timeout.Token);
                pacer.OnSuccess();
                return result;
            }
            catch (Exception e) when (pacer.Stopping.IsCancellationRequested)
            {
                throw new IOException("the scan was stopped", e);
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e))
            {
                if (RetryPolicy.IsThrottle(e)) pacer.OnThrottled((e as RemoteException)?.RetryAfter);
                if (++failures >= retry.MaxAttempts)
                    throw new IOException($"{RetryPolicy.Describe(e)} (after {failures} tries)", e);
                counters.Retry();
                pacer.Stopping.WaitHandle.WaitOne(retry.Delay(failures - 1));
            }
        }
    }
}
