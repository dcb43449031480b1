using System.Buffers;
using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// <c>--json</c>: one object per hit with the columns of the hits table. Lines are gathered in one reused buffer and
/// written out <see cref="FlushBytes"/> at a time, not a write per hit.
/// </summary>
public sealed class JsonPrinter : IHitSink, IDisposable
{
    /// <summary>Bytes of lines gathered before they are written out.</summary>
    public const int FlushBytes = 1 << 16;

    private readonly Stream _output;
    private readonly long? _scanId;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushBytes * 2);
    private readonly Utf8JsonWriter _w;
    private readonly HitJsonWriter _columns;

    public JsonPrinter(Stream output, long? scanId)
    {
        _output = output;
        _scanId = scanId;
        _w = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
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
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushBytes) Flush();
    }

    /// <summary>Writes out the lines gathered so far.</summary>
    public void Flush()
    {
        if (_buffer.WrittenCount == 0) return;
        try { _output.Write(_buffer.WrittenSpan); }
        finally { _buffer.ResetWrittenCount(); }
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) => Flush();

    public void Dispose()
    {
        _w.Dispose();
        Flush();
    }
}
