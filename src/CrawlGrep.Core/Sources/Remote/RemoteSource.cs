namespace CrawlGrep.Core.Sources.Remote;

/// <summary>An object in a remote store (S3 or an HTTP server): its size from one HEAD, its bytes from ranged GETs.</summary>
public sealed class RemoteSource : IByteSource
{
    private readonly IObjectClient _client;
    private readonly RemoteOptions _options;
    private readonly RequestPacer _pacer;
    private readonly TransferCounters _counters;
    private readonly string? _etag;

    /// <summary>Looks the object up (HEAD, retried like any request). Throws <see cref="IOException"/> when it cannot be read.</summary>
    public RemoteSource(string name, IObjectClient client, RemoteOptions options, RequestPacer pacer, TransferCounters counters)
    {
        Name = name;
        _client = client;
        _options = options;
        _pacer = pacer;
        _counters = counters;
        var info = Retrying(ct => client.Head(ct));
        Length = info.Length;
        _etag = info.ETag;
    }

    public string Name { get; }
    public long Length { get; }

    public Stream OpenRange(long start, long end) => OpenRange(start, end, end);

    public Stream OpenRange(long start, long end, long expectedEnd)
    {
        var stream = new RemoteRangeStream(_client, Name, start, end, expectedEnd, _etag, _options, _pacer, _counters);
        // Read ahead on a thread of its own: the network wait overlaps with inflating.
        return end - start > (4 << 20) ? new PrefetchStream(stream) : stream;
    }

    private T Retrying<T>(Func<CancellationToken, T> request)
    {
        var retry = new RetryPolicy(_options);
        for (int failures = 0; ; )
        {
            _pacer.WaitTurn(CancellationToken.None);
            _counters.Request();
            try
            {
                using var timeout = new CancellationTokenSource(_options.ReadTimeout);
                var result = request(timeout.Token);
                _pacer.OnSuccess();
                return result;
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e))
            {
                if (RetryPolicy.IsThrottle(e)) _pacer.OnThrottled();
                if (++failures >= retry.MaxAttempts)
                    throw new IOException($"{(e is OperationCanceledException ? "timed out" : e.Message)} (after {failures} tries)", e);
                _counters.Retry();
                Thread.Sleep(retry.Delay(failures - 1));
            }
        }
    }
}
