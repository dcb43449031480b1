namespace CrawlGrep.Core.Sources.Remote;

/// <summary>
/// A request to a remote store that failed. <see cref="Transient"/> ones (5xx, throttling, resets, timeouts) are
/// tried again; the others (404, 403, a changed object) end the read at once.
/// </summary>
public sealed class RemoteException(string message, int? status, bool transient, bool throttled = false, Exception? inner = null)
    : IOException(message, inner)
{
    /// <summary>The HTTP status, when the server answered.</summary>
    public int? Status { get; } = status;
    public bool Transient { get; } = transient;
    /// <summary>The server asked us to slow down (503 SlowDown, 429).</summary>
    public bool Throttled { get; } = throttled;

    /// <summary>How long the server asked us to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    /// <summary>The failure an HTTP status stands for, in words a user can act on.</summary>
    public static RemoteException FromStatus(int status, string? code = null) => status switch
    {
        404 => new RemoteException("no such object (404)", status, transient: false),
        403 => new RemoteException($"access denied (403{(code is null ? "" : " " + code)})", status, transient: false),
        412 => new RemoteException("the object changed during the scan (412 precondition failed)", status, transient: false),
        416 => new RemoteException("range not satisfiable (416)", status, transient: false),
        429 or 503 => new RemoteException($"{status} {code ?? (status == 429 ? "Too Many Requests" : "Slow Down")}", status, transient: true, throttled: true),
        408 or 500 or 502 or 504 => new RemoteException($"{status} {code ?? "server error"}", status, transient: true),
        _ => new RemoteException($"HTTP {status}{(code is null ? "" : " " + code)}", status, transient: status >= 500),
    };
}
