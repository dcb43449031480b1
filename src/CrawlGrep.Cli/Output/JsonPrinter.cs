using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary><c>--json</c>: one object per hit with the columns of the hits table.</summary>
public sealed class JsonPrinter(Stream output, long? scanId) : RenderingPrinter(output)
{
    public override ITaskRenderer ForTask() => new Lines(scanId);

    /// <summary>
    /// Renders a hit as a JSON line. The columns a record's hits share (file, URI, record id, date...) are encoded once
    /// per record and copied for its other hits: the same bytes, made once. Markup and non-ASCII text are written as
    /// they are (the encoder <c>sql --json</c> uses); only what JSON requires is escaped.
    /// </summary>
    private sealed class Lines : ITaskRenderer
    {
        private static readonly JsonWriterOptions Options = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly long? _scanId;
        private readonly ArrayBufferWriter<byte> _line = new(4096);
        private readonly Utf8JsonWriter _w;
        private readonly HitJsonWriter _columns;
        private readonly ArrayBufferWriter<byte> _recordColumns = new(1024);
        private Hit? _record; // the hit whose record's columns _recordColumns holds

        public Lines(long? scanId)
        {
            _scanId = scanId;
            _w = new Utf8JsonWriter(_line, Options);
            _columns = new HitJsonWriter(_w);
        }

        public ReadOnlySpan<byte> Render(Hit h)
        {
            _line.ResetWrittenCount();
            _w.WriteStartObject();
            if (_scanId is long id) _w.WriteNumber(HitColumns.ScanId, id); else _w.WriteNull(HitColumns.ScanId);
            _w.Flush();
            if (_record is { } r && SameRecord(r, h))
            {
                _line.Write(_recordColumns.WrittenSpan); // ,"crawl":...,"content_type":... as the record's first hit wrote them
            }
            else
            {
                int from = _line.WrittenCount;
                _columns.WriteRecord(h);
                _w.Flush();
                _recordColumns.ResetWrittenCount();
                _recordColumns.Write(_line.WrittenSpan[from..]);
                _record = h;
            }
            _columns.WriteOwn(h); // the writer goes on after the record's columns with a comma, as after any property
            _w.WriteEndObject();
            _w.Flush();
            _w.Reset(); // a fresh top-level value each line, no separator
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);
            return _line.WrittenSpan;
        }

        /// <summary>Hits of one record: the same record columns (the strings a scanner gives a record's hits are the same objects).</summary>
        private static bool SameRecord(Hit a, Hit b) =>
            a.RecordOffset == b.RecordOffset && a.RecordLength == b.RecordLength && a.WarcDate == b.WarcDate
            && ReferenceEquals(a.File, b.File) && ReferenceEquals(a.Crawl, b.Crawl) && ReferenceEquals(a.WarcType, b.WarcType)
            && ReferenceEquals(a.RecordId, b.RecordId) && ReferenceEquals(a.TargetUri, b.TargetUri) && ReferenceEquals(a.Host, b.Host)
            && ReferenceEquals(a.ContentType, b.ContentType);
    }
}
