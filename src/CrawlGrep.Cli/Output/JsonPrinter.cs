using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary><c>--json</c>: one object per hit with the columns of the hits table.</summary>
public sealed class JsonPrinter : IHitSink, IDisposable
{
    private readonly Stream _output;
    private readonly long? _scanId;
    private readonly Utf8JsonWriter _w;
    private readonly HitJsonWriter _columns;

    public JsonPrinter(Stream output, long? scanId)
    {
        _output = output;
        _scanId = scanId;
        _w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        _columns = new HitJsonWriter(_w);
    }

    public void OnHit(Hit h)
    {
        _w.WriteStartObject();
        if (_scanId is long id) _w.WriteNumber(HitColumns.ScanId, id); else _w.WriteNull(HitColumns.ScanId);
        _columns.Write(h);
        _w.WriteEndObject();
        _w.Flush();
        _w.Reset(); // a fresh top-level value each line, no separator
        _output.WriteByte((byte)'\n');
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
    public void Dispose() => _w.Dispose();
}
