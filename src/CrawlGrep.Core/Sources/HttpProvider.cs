using System.Net;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Sources;

/// <summary><c>http://</c> and <c>https://</c> URLs, read with Range requests through one connection pool per scan.</summary>
public sealed class HttpProvider : ISourceProvider
{
    public bool Handles(string name) =>
        name.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || name.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public bool IsRemote => true;

    // A web server has no listing to ask for.
    public bool CanList(string name) => false;

    public IReadOnlyList<IByteSource> List(string prefix, SourceResolver scan) =>
        throw new NotSupportedException($"{prefix}: an HTTP(S) URL cannot be listed");

    public IByteSource Open(string name, SourceResolver scan)
    {
        if (!Uri.TryCreate(name, UriKind.Absolute, out var url)) throw new IOException("not a valid URL");
        return new RemoteSource(name, new HttpObjectClient(Pool(scan), url), scan.Options, scan.Pacer, scan.Counters);
    }

    /// <summary>The scan's HTTP connection pool, shared by everything it fetches over HTTP(S).</summary>
    public static HttpClient Pool(SourceResolver scan) => scan.Client(typeof(HttpProvider), CreatePool);

    private static HttpClient CreatePool() => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None, // the bytes as stored: offsets are offsets in the file
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // bodies are watched per read instead: a long scan is not a slow one
        DefaultRequestHeaders = { { "User-Agent", "crawlgrep (+https://github.com/crawlgrep)" } },
    };
}
