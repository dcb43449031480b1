using System.Globalization;
using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Writes a task's partial result in its wire form, as the task runs: zstd-compressed JSON lines, one per warning
/// (<c>{"w":...}</c>) and hit (<c>{"h":...}</c>, the hits table's columns and the line's offset), then the outcome
/// (<c>{"o":...}</c>). Hits are compressed as they come, so a worker holds a few bytes per hit, not the hits.
/// </summary>
public sealed class PartialWriter : IHitSink, IDisposable
{
    /// <summary>zstd's fastest level: hits compress about 7x at it, and a worker spends its time scanning, not compressing.</summary>
    private const int Level = 1;

    private readonly ZstdSharp.CompressionStream _zstd;
    private readonly Utf8JsonWriter _json;
    private readonly HitJsonWriter _hit;
    private bool _finished;

    public PartialWriter(Stream destination)
    {
        _zstd = new ZstdSharp.CompressionStream(destination, Level, leaveOpen: true);
        // A checksum of the content ends the frame: a partial that decompresses to its end is whole (PartialReader.Check).
        _zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        _json = new Utf8JsonWriter(_zstd, new JsonWriterOptions { SkipValidation = true });
        _hit = new HitJsonWriter(_json, exactTimes: true);
    }

    public long Hits { get; private set; }

    public void OnHit(Hit hit)
    {
        _json.WriteStartObject();
        _json.WriteStartObject(PartialFields.Hit);
        _hit.Write(hit);
        _json.WriteNumber(PartialFields.LineOffset, hit.LineOffset);
        _json.WriteEndObject();
        EndLine();
        Hits++;
    }

    public void OnWarning(ScanWarning warning)
    {
        _json.WriteStartObject();
        _json.WriteStartObject(PartialFields.Warning);
        _json.WriteString("file", warning.File);
        _json.WriteNumber("offset", warning.Offset);
        _json.WriteString("message", warning.Message);
        _json.WriteEndObject();
        EndLine();
    }

    public void OnFileDone(FileScanResult result) { }

    /// <summary>Writes the outcome and ends the compressed stream.</summary>
    public void Finish(string source, TaskOutcome o)
    {
        _json.WriteStartObject();
        _json.WriteStartObject(PartialFields.Outcome);
        _json.WriteString("source", source);
        _json.WriteString("task_id", o.TaskId);
        _json.WriteNumber("start", o.Start);
        _json.WriteNumber("end", o.End);
        _json.WriteString("format", o.Format);
        if (o.Error is not null) _json.WriteString("error", o.Error);
        _json.WriteBoolean("stopped", o.Stopped);
        _json.WriteString("started_at", o.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        _json.WriteString("finished_at", o.FinishedAt.ToString("O", CultureInfo.InvariantCulture));
        _json.WriteStartObject("stats");
        var s = o.Stats;
        _json.WriteNumber("records", s.Records);
        _json.WriteNumber("records_matched", s.RecordsMatched);
        _json.WriteNumber("records_scanned", s.RecordsScanned);
        _json.WriteNumber("compressed_bytes", s.CompressedBytes);
        _json.WriteNumber("decoded_bytes", s.DecodedBytes);
        _json.WriteNumber("payload_bytes", s.PayloadBytes);
        _json.WriteNumber("hits", s.Hits);
        _json.WriteNumber("warnings", s.Warnings);
        _json.WriteNumber("errors", s.Errors);
        if (s.SourceRequests > 0) _json.WriteNumber("source_requests", s.SourceRequests);
        if (s.SourceRetries > 0) _json.WriteNumber("source_retries", s.SourceRetries);
        if (s.SourcePushbacks > 0) _json.WriteNumber("source_pushbacks", s.SourcePushbacks);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EndLine();
        _json.Dispose();
        _zstd.Dispose(); // ends the zstd frame
        _finished = true;
    }

    private void EndLine()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _zstd.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        if (_finished) return;
        _json.Dispose();
        _zstd.Dispose();
    }
}

/// <summary>The names of a partial's line kinds.</summary>
internal static class PartialFields
{
    public const string Hit = "h", Warning = "w", Outcome = "o", LineOffset = "line_offset";
}
