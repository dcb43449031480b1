using System.Net;
using System.Text.Json;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// A crawl's CDX server (pywb, as at <c>index.commoncrawl.org/ID-index</c>): asks how many pages a URL pattern has
/// (<c>showNumPages=true</c>), then fetches each page of JSON lines. Every request goes through the scan's retries,
/// backoff and pacing, as any other remote read: a 503, a reset or a page cut short is fetched again, whole, so a
/// page is either all there or tried again, never half-counted.
/// </summary>
public sealed class CdxApi(string endpoint, SourceResolver sources)
{
    public string Endpoint { get; } = endpoint;

    /// <summary>The lines of every page for <paramref name="urlPattern"/> (e.g. <c>example.com/*</c>, <c>*.example.org</c>), page by page.</summary>
    /// <param name="filters">pywb filters, e.g. <c>status:200</c>, <c>mime:text/html</c>, <c>!mime:...</c>, <c>~url:...</c>.</param>
    public IEnumerable<string> Lines(string urlPattern, IReadOnlyList<string> filters)
    {
        string query = "url=" + Uri.EscapeDataString(urlPattern) + "&output=json" + string.Concat(filters.Select(f => "&filter=" + Uri.EscapeDataString(f)));
        int pages = PageCount(query);
        for (int page = 0; page < pages; page++)
        {
            string body = Fetch($"{query}&page={page}", allowNone: true);
            foreach (string line in body.Split('\n'))
                if (line.Length > 0 && line.Trim().Length > 0) yield return line.TrimEnd('\r');
        }
    }

    /// <summary>Pages the server will give for a query; 0 when it has no capture.</summary>
    public int PageCount(string query)
    {
        string body = Fetch(query + "&showNumPages=true", allowNone: true);
        if (body.Length == 0) return 0;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("pages", out var p) && p.TryGetInt32(out int n)) return Math.Max(0, n);
            if (doc.RootElement.ValueKind == JsonValueKind.Number) return doc.RootElement.GetInt32();
        }
        catch (JsonException) { }
        // An old server answers with the number alone.
        if (int.TryParse(body.Trim(), out int pages)) return pages;
        throw new IndexException($"{Endpoint}: the CDX server's page count is not understood: {Shorten(body)}");
    }

    private string Fetch(string query, bool allowNone)
    {
        var url = new Uri(Endpoint + (Endpoint.Contains('?') ? "&" : "?") + query);
        var http = HttpProvider.Pool(sources);
        try
        {
            return RetryingRequest.Run(sources.Options, sources.Pacer, sources.Counters, ct =>
            {
                using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, ct);
                // pywb says "no captures" with a 404.
                if (response.StatusCode == HttpStatusCode.NotFound && allowNone) return "";
                if (!response.IsSuccessStatusCode)
                {
                    var failure = RemoteException.FromStatus((int)response.StatusCode);
                    if (response.Headers.RetryAfter?.Delta is { } after) failure.RetryAfter = after;
                    throw failure;
                }
                // A body cut short of its Content-Length fails the read (an IOException): transient, fetched again whole.
                using var reader = new StreamReader(response.Content.ReadAsStream(ct));
                return reader.ReadToEnd();
            });
        }
        catch (IOException e) { throw new IndexException($"{url}: {e.Message}", e); }
    }

    private static string Shorten(string s) => s.Length <= 120 ? s.Trim() : s[..120].Trim() + "...";
}
