using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary><c>--json</c>: one object per hit with the columns of the hits table.</summary>
public sealed class JsonPrinter(Stream output, long? scanId) : IHitSink, IDisposable
{
    private readonly Utf8JsonWriter _w = new(output, new JsonWriterOptions { SkipValidation = true });

    public void OnHit(Hit h)
    {
        _w.WriteStartObject();
        if (scanId is long id) _w.WriteNumber("scan_id", id); else _w.WriteNull("scan_id");
        Str("crawl", h.Crawl);
        _w.WriteString("file", h.File);
        _w.WriteNumber("record_offset", h.RecordOffset);
        _w.WriteNumber("record_length", h.RecordLength);
        Str("warc_type", h.WarcType);
        Str("record_id", h.RecordId);
        if (h.WarcDate is DateTime d) _w.WriteString("warc_date", d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")); else _w.WriteNull("warc_date");
        Str("target_uri", h.TargetUri);
        Str("host", h.Host);
        Str("content_type", h.ContentType);
        _w.WriteNumber("pattern_index", h.PatternIndex);
        _w.WriteString("pattern", h.Pattern);
        _w.WriteString("match", h.Match);
        _w.WriteNumber("match_offset", h.MatchOffset);
        _w.WriteString("context", h.Context);
        _w.WriteEndObject();
        _w.Flush();
        _w.Reset(); // a fresh top-level value each line, no separator
        output.WriteByte((byte)'\n');
    }

    private void Str(string name, string? v)
    {
        if (v is null) _w.WriteNull(name); else _w.WriteString(name, v);
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
    public void Dispose() => _w.Dispose();
}
