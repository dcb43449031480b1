namespace CrawlGrep.Core.Sources.Remote;

/// <summary>What the remote sources of a scan cost: requests, retries and bytes fetched (for --stats and tests).</summary>
public sealed class TransferCounters
{
    private long _requests, _retries, _resumes, _bytes;

    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>Requests tried again after a failure (before any byte of their body).</summary>
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>Bodies that broke off (reset, truncated, stalled) and were asked for again from where they stopped.</summary>
    public long Resumes => Interlocked.Read(ref _resumes);
    /// <summary>Body bytes received.</summary>
    public long BytesFetched => Interlocked.Read(ref _bytes);

    internal void Request() => Interlocked.Increment(ref _requests);
    internal void Retry() => Interlocked.Increment(ref _retries);
    internal void Resume() => Interlocked.Increment(ref _resumes);
    internal void Fetched(int n) => Interlocked.Add(ref _bytes, n);
}
