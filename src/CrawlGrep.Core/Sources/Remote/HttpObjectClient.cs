using System.Net;
using System.Net.Http.Headers;

namespace CrawlGrep.Core.Sources.Remote;

/// <summary>An object behind an http(s):// URL, read with Range requests (e.g. https://data.commoncrawl.org/...).</summary>
public sealed class HttpObjectClient(HttpClient http, Uri url) : IObjectClient
{
    public ObjectInfo Head(CancellationToken ct)
    {
        using (var head = Send(new HttpRequestMessage(HttpMethod.Head, url), ct))
        {
            if (head.IsSuccessStatusCode && head.Content.Headers.ContentLength is long length)
                return new ObjectInfo(length, ETagOf(head));
            if (head.StatusCode is not (HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented) && !head.IsSuccessStatusCode)
                throw Failure(head);
        }
        // No HEAD (or no length in it): the first byte's Content-Range tells the size.
        var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Range = new RangeHeaderValue(0, 0);
        using var first = Send(get, ct);
        if (first.StatusCode == HttpStatusCode.PartialContent && first.Content.Headers.ContentRange?.Length is long total)
            return new ObjectInfo(total, ETagOf(first));
        throw first.IsSuccessStatusCode
            ? new RemoteException("the server tells neither the size nor ranges of the object", (int)first.StatusCode, transient: false)
            : Failure(first);
    }

    public RangeBody Get(long start, long end, string? etag, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(start, end - 1);
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfMatch.Add(tag);
        var response = Send(request, ct, HttpCompletionOption.ResponseHeadersRead);
        try
        {
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != start)
                    throw new RemoteException($"the server sent bytes {range?.From}- for a request of bytes {start}-", 206, transient: false);
            }
            else if (response.StatusCode != HttpStatusCode.OK || start != 0)
            {
                throw response.IsSuccessStatusCode
                    ? new RemoteException("the server does not support range requests", (int)response.StatusCode, transient: false)
                    : Failure(response);
            }
            return new RangeBody(response.Content.ReadAsStream(ct), ETagOf(response));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private HttpResponseMessage Send(HttpRequestMessage request, CancellationToken ct, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead)
    {
        try { return http.Send(request, option, ct); }
        catch (HttpRequestException e) { throw new RemoteException(e.Message, e.StatusCode is { } s ? (int)s : null, transient: true, inner: e); }
    }

    private static string? ETagOf(HttpResponseMessage r) => r.Headers.ETag?.ToString();

    /// <summary>The failure a status stands for, with the wait the server asked for (Retry-After: seconds or a date).</summary>
    private static RemoteException Failure(HttpResponseMessage r)
    {
        var failure = RemoteException.FromStatus((int)r.StatusCode);
        if (r.Headers.RetryAfter is { } after) failure.RetryAfter = after.Delta ?? (after.Date - DateTimeOffset.UtcNow);
        return failure;
    }
}
