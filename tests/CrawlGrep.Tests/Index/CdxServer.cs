using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// A CDX server on 127.0.0.1 that answers as pywb does at index.commoncrawl.org: <c>/ID-index?url=PATTERN&amp;output=json</c>
/// with <c>showNumPages=true</c> gives <c>{"pages": N, ...}</c>, <c>page=K</c> gives page K's JSON lines, no capture is a 404.
/// It can throttle (503 with Retry-After) and break a page off mid-body, each a given number of times, to test that
/// the client gets the same records through them.
/// </summary>
internal sealed class CdxServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly IReadOnlyList<(string Url, string Line)> _lines;
    private int _requests, _throttleLeft, _breakLeft;

    /// <param name="lines">CDXJ or JSON lines, each with its capture's URL.</param>
    public CdxServer(IReadOnlyList<(string Url, string Line)> lines, int pageSize = 50)
    {
        _lines = lines;
        PageSize = pageSize;
        _listener = new LoopbackListener(ServeAsync);
    }

    public int PageSize { get; }

    /// <summary>The next N requests are answered 503 Slow Down.</summary>
    public int Throttle { set => Volatile.Write(ref _throttleLeft, value); }

    /// <summary>The next N page requests send half their body and close the connection.</summary>
    public int BreakPages { set => Volatile.Write(ref _breakLeft, value); }

    public int Requests => Volatile.Read(ref _requests);

    public string Endpoint(string crawl) => $"http://127.0.0.1:{_listener.Port}/{crawl}-index";

    public void Dispose() => _listener.Dispose();

    /// <summary>The captures a pywb URL pattern matches: <c>host/path*</c> prefixes, <c>*.domain</c> hosts, else the URL itself.</summary>
    public static bool Matches(string pattern, string url)
    {
        var uri = new Uri(url);
        string hostPath = uri.Host + uri.PathAndQuery;
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            string domain = pattern[2..].TrimEnd('/');
            return uri.Host == domain || uri.Host.EndsWith("." + domain, StringComparison.Ordinal);
        }
        string bare = pattern.Contains("://", StringComparison.Ordinal) ? pattern[(pattern.IndexOf("://", StringComparison.Ordinal) + 3)..] : pattern;
        if (bare.EndsWith('*')) return hostPath.StartsWith(bare.TrimEnd('*'), StringComparison.Ordinal);
        return hostPath == bare || hostPath == bare + "/";
    }

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpReader(stream);
        while (await reader.ReadHeadAsync(ct) is { } request)
        {
            Interlocked.Increment(ref _requests);
            var query = Query(request.Target);
            if (Interlocked.Decrement(ref _throttleLeft) >= 0)
            {
                await RespondAsync(stream, 503, "Slow Down", "text/plain", "slow down"u8.ToArray(), [new("Retry-After", "0")], ct);
                continue;
            }
            var picked = _lines.Where(l => Matches(query.GetValueOrDefault("url", ""), l.Url) && Filtered(query, l.Line)).Select(l => l.Line).ToList();
            int pages = (picked.Count + PageSize - 1) / PageSize;
            if (query.ContainsKey("showNumPages"))
            {
                await RespondAsync(stream, 200, "OK", "application/json", Encoding.UTF8.GetBytes($"{{\"pages\": {pages}, \"pageSize\": {PageSize}, \"blocks\": {pages}}}\n"), [], ct);
                continue;
            }
            int page = int.Parse(query.GetValueOrDefault("page", "0"), CultureInfo.InvariantCulture);
            if (picked.Count == 0 || page >= pages)
            {
                await RespondAsync(stream, 404, "Not Found", "text/plain", "No Captures found"u8.ToArray(), [], ct);
                continue;
            }
            byte[] body = Encoding.UTF8.GetBytes(string.Concat(picked.Skip(page * PageSize).Take(PageSize).Select(l => l + "\n")));
            if (Interlocked.Decrement(ref _breakLeft) >= 0)
            {
                await stream.WriteAsync(Head(200, "OK", "text/x-ndjson", body.Length, []), ct);
                await stream.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
                return; // the connection closes mid-body
            }
            await RespondAsync(stream, 200, "OK", "text/x-ndjson", body, [], ct);
        }
    }

    /// <summary>pywb's <c>filter=field:value</c> (and <c>!field:value</c>) on the JSON of a line.</summary>
    private static bool Filtered(Dictionary<string, string> query, string line)
    {
        if (!query.TryGetValue("filter", out string? filters)) return true;
        foreach (string f in filters.Split('\u0001'))
        {
            bool not = f.StartsWith('!');
            string[] kv = f.TrimStart('!').Split(':', 2);
            bool has = line.Contains($"\"{kv[0]}\": \"{kv[1]}\"", StringComparison.Ordinal);
            if (has == not) return false;
        }
        return true;
    }

    private static Dictionary<string, string> Query(string target)
    {
        var result = new Dictionary<string, string>();
        int q = target.IndexOf('?');
        if (q < 0) return result;
        foreach (string pair in target[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]), value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            result[key] = result.TryGetValue(key, out string? before) ? before + '\u0001' + value : value;
        }
        return result;
    }

    private static async Task RespondAsync(Stream stream, int status, string reason, string type, byte[] body, List<KeyValuePair<string, string>> extra, CancellationToken ct)
    {
        await stream.WriteAsync(Head(status, reason, type, body.Length, extra), ct);
        await stream.WriteAsync(body, ct);
    }

    private static byte[] Head(int status, string reason, string type, int length, List<KeyValuePair<string, string>> extra)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Content-Type", type), new("Content-Length", length.ToString(CultureInfo.InvariantCulture)) };
        fields.AddRange(extra);
        return new HttpHead($"HTTP/1.1 {status} {reason}", fields).ToBytes();
    }
}
