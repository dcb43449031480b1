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
        : this(name, client, RetryingRequest.Run(options, pacer, counters, client.Head), options, pacer, counters) { }

    /// <summary>An object whose size and version are already known (from a listing): no HEAD.</summary>
    public RemoteSource(string name, IObjectClient client, ObjectInfo known, RemoteOptions options, RequestPacer pacer, TransferCounters counters)
    {
        Name = name;
        _client = client;
        _options = options;
        _pacer = pacer;
        _counters = counters;
        Length = known.Length;
        _etag = known.ETag;
    }

    public string Name { get; }
    public long Length { get; }

    public Stream OpenRange(long start, long end) => OpenRange(start, end, end);

    public Stream OpenRange(long start, long end, long expectedEnd)
    {
        var stream = new RemoteRangeStream(_client, start, end, expectedEnd, _etag, _options, _pacer, _counters);
        // Read ahead on a thread of its own, so the network wait overlaps with inflating; but not past what the
        // reader is expected to need: bytes read ahead and then not wanted would have been downloaded for nothing.
        return PrefetchStream.Worthwhile(start, expectedEnd) ? new PrefetchStream(stream, aheadLimit: expectedEnd - start + _options.RangeSlack) : stream;
    }
}
