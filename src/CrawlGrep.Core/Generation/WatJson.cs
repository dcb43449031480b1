using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Builds the JSON block of a WAT <c>metadata</c> record in the shape ia-web-commons writes for Common Crawl:
/// <c>{"Container":{...},"Envelope":{"Payload-Metadata":{...},"Format":"WARC/1.0","WARC-Header-Length":...,"WARC-Header-Metadata":{...}}}</c>.
/// Numbers are strings, as in CC's WAT files; non-ASCII text is written as UTF-8, not escaped.
/// </summary>
internal sealed class WatJson
{
    private readonly ByteBuffer _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly string _warcFileName;
    private readonly WarcCompression _warcCompression;

    public WatJson(string warcFileName, WarcCompression warcCompression)
    {
        _warcFileName = warcFileName;
        _warcCompression = warcCompression;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private void Begin(WrittenRecord record)
    {
        _buffer.Clear();
        _json.Reset(_buffer);
        var w = _json;
        w.WriteStartObject();
        w.WriteStartObject("Container");
        w.WriteString("Filename", _warcFileName);
        w.WriteBoolean("Compressed", _warcCompression != WarcCompression.Plain);
        w.WriteString("Offset", N(_warcCompression == WarcCompression.GzipWhole ? record.UncompressedOffset : record.Offset));
        if (_warcCompression == WarcCompression.Gzip)
        {
            w.WriteStartObject("Gzip-Metadata");
            w.WriteString("Deflate-Length", N(record.Length - 18));
            w.WriteString("Header-Length", "10");
            w.WriteString("Footer-Length", "8");
            w.WriteString("Inflated-CRC", N(record.GzipCrc32));
            w.WriteString("Inflated-Length", N(record.UncompressedLength));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("Envelope");
        w.WriteStartObject("Payload-Metadata");
    }

    private ReadOnlySpan<byte> End(WrittenRecord record, string blockDigest, IReadOnlyList<KeyValuePair<string, string>> warcFields)
    {
        var w = _json;
        w.WriteString("Actual-Content-Length", N(record.BlockLength));
        w.WriteString("Trailing-Slop-Length", "4");
        w.WriteString("Block-Digest", blockDigest);
        w.WriteEndObject(); // Payload-Metadata
        w.WriteString("Format", "WARC/1.0");
        w.WriteString("WARC-Header-Length", N(record.HeaderLength));
        w.WriteStartObject("WARC-Header-Metadata");
        foreach (var (name, value) in warcFields) w.WriteString(name, value);
        w.WriteEndObject();
        w.WriteEndObject(); // Envelope
        w.WriteEndObject();
        w.Flush();
        return _buffer.Span;
    }

    private void Headers(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _json.WriteStartObject("Headers");
        foreach (var (name, value) in headers) _json.WriteString(name, value);
        _json.WriteEndObject();
    }

    public ReadOnlySpan<byte> WarcFields(WrittenRecord record, string metadataName, IReadOnlyList<KeyValuePair<string, string>> blockFields,
        string blockDigest, IReadOnlyList<KeyValuePair<string, string>> warcFields)
    {
        Begin(record);
        var w = _json;
        w.WriteString("Actual-Content-Type", "application/warc-fields");
        w.WriteStartObject(metadataName);
        if (metadataName == "WARC-Metadata-Metadata")
        {
            w.WriteStartArray("Metadata-Records");
            foreach (var (name, value) in blockFields)
            {
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            foreach (var (name, value) in blockFields) w.WriteString(name, value);
        }
        w.WriteEndObject();
        return End(record, blockDigest, warcFields);
    }

    public ReadOnlySpan<byte> Request(WrittenRecord record, GeneratedPage page, int headersLength, string blockDigest,
        IReadOnlyList<KeyValuePair<string, string>> warcFields)
    {
        Begin(record);
        var w = _json;
        w.WriteString("Actual-Content-Type", "application/http; msgtype=request");
        w.WriteStartObject("HTTP-Request-Metadata");
        w.WriteStartObject("Request-Message");
        w.WriteString("Method", "GET");
        w.WriteString("Path", page.PathAndQuery);
        w.WriteString("Version", "HTTP/1.1");
        w.WriteEndObject();
        w.WriteString("Headers-Length", N(headersLength));
        Headers(page.RequestHeaders);
        w.WriteString("Entity-Length", "0");
        w.WriteString("Entity-Digest", WarcDigest.EmptySha1);
        w.WriteString("Entity-Trailing-Slop-Length", "0");
        w.WriteEndObject();
        return End(record, blockDigest, warcFields);
    }

    public ReadOnlySpan<byte> Response(WrittenRecord record, GeneratedPage page, int headersLength, string payloadDigest,
        string blockDigest, IReadOnlyList<KeyValuePair<string, string>> warcFields)
    {
        Begin(record);
        var w = _json;
        w.WriteString("Actual-Content-Type", "application/http; msgtype=response");
        w.WriteStartObject("HTTP-Response-Metadata");
        w.WriteStartObject("Response-Message");
        w.WriteString("Version", "HTTP/1.1");
        w.WriteString("Status", N(page.Status));
        w.WriteString("Reason", page.Reason);
        w.WriteEndObject();
        w.WriteString("Headers-Length", N(headersLength));
        Headers(page.ResponseHeaders);
        w.WriteString("Entity-Length", N(page.Body.Length));
        w.WriteString("Entity-Digest", payloadDigest);
        w.WriteString("Entity-Trailing-Slop-Length", "0");
        if (page.Kind == PageKind.Html)
        {
            w.WriteStartObject("HTML-Metadata");
            w.WriteStartObject("Head");
            w.WriteString("Title", page.Title + " | " + page.Host.SiteName);
            w.WriteStartArray("Metas");
            foreach (var (name, content) in page.Metas)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("content", content);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("Link");
            foreach (var link in page.HeadLinks)
            {
                if (link.Path != "LINK@/href") continue;
                w.WriteStartObject();
                w.WriteString("path", link.Path);
                w.WriteString("url", link.Url);
                if (link.Rel is not null) w.WriteString("rel", link.Rel);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("Scripts");
            foreach (var link in page.HeadLinks)
            {
                if (link.Path != "SCRIPT@/src") continue;
                w.WriteStartObject();
                w.WriteString("path", link.Path);
                w.WriteString("url", link.Url);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject(); // Head
            w.WriteStartArray("Links");
            foreach (var link in page.Links)
            {
                w.WriteStartObject();
                w.WriteString("path", link.Path);
                w.WriteString("url", link.Url);
                if (link.Text is not null) w.WriteString(link.Path == "IMG@/src" ? "alt" : "text", link.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject(); // HTML-Metadata
        }
        w.WriteEndObject();
        return End(record, blockDigest, warcFields);
    }
}
