using System.Globalization;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>One HTTP/1.1 response of the emulator: status, header fields and a body sent with Content-Length.</summary>
internal sealed record HttpReply(int Status, List<KeyValuePair<string, string>> Fields, byte[] Body)
{
    public HttpReply(int status, byte[] body, params (string Name, string Value)[] fields)
        : this(status, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList(), body) { }

    public async Task WriteAsync(Stream stream, bool keepAlive, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>>(Fields)
        {
            new("Date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture)),
            new("Content-Length", Body.Length.ToString(CultureInfo.InvariantCulture)),
        };
        if (!keepAlive) fields.Add(new("Connection", "close"));
        string reason = ReasonOf(Status);
        await stream.WriteAsync(new HttpHead($"HTTP/1.1 {Status} {reason}", fields).ToBytes(), ct);
        if (Body.Length > 0) await stream.WriteAsync(Body, ct);
        await stream.FlushAsync(ct);
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Request Entity Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
