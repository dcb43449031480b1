namespace CrawlGrep.Core.Sources.Remote;

/// <summary>The size and version of a remote object.</summary>
public sealed record ObjectInfo(long Length, string? ETag);

/// <summary>A response body, and the version of the object it is from.</summary>
public sealed record RangeBody(Stream Body, string? ETag);

/// <summary>One remote store's two requests: HEAD, and a ranged GET. Retries are the caller's (<see cref="RemoteRangeStream"/>).</summary>
public interface IObjectClient
{
    /// <summary>Size and ETag. Throws <see cref="RemoteException"/> (or an I/O error) on failure.</summary>
    ObjectInfo Head(CancellationToken ct);

    /// <summary>
    /// The body of bytes [start, end): exactly that many bytes unless the connection breaks. With an
    /// <paramref name="etag"/>, a changed object is refused (412) rather than mixed with the old one.
    /// </summary>
    RangeBody Get(long start, long end, string? etag, CancellationToken ct);
}
