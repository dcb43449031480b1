using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>Reads a partial result written by <see cref="PartialWriter"/>; a damaged or cut one is an <see cref="InvalidDataException"/>.</summary>
public static class PartialReader
{
    public static TaskPartial Read(Stream compressed)
    {
        var hits = new List<Hit>();
        var warnings = new List<ScanWarning>();
        string? source = null;
        TaskOutcome? outcome = null;
        try
        {
            using var zstd = new ZstdSharp.DecompressionStream(compressed, leaveOpen: true);
            foreach (var line in Lines(zstd))
            {
                var r = new Utf8JsonReader(line.Span);
                Expect(ref r, JsonTokenType.StartObject);
                Expect(ref r, JsonTokenType.PropertyName);
                if (r.ValueTextEquals(PartialFields.Hit)) { Expect(ref r, JsonTokenType.StartObject); hits.Add(ReadHit(ref r)); }
                else if (r.ValueTextEquals(PartialFields.Warning)) { Expect(ref r, JsonTokenType.StartObject); warnings.Add(ReadWarning(ref r)); }
                else if (r.ValueTextEquals(PartialFields.Outcome)) { Expect(ref r, JsonTokenType.StartObject); outcome = ReadOutcome(ref r, out source); }
                else throw new InvalidDataException($"unknown line kind '{r.GetString()}'");
            }
        }
        catch (Exception e) when (e is JsonException or IOException or ZstdSharp.ZstdException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"damaged partial result: {e.Message}", e);
        }
        if (outcome is null || source is null) throw new InvalidDataException("damaged partial result: it ends before the task's outcome");
        return new TaskPartial(source, outcome, hits, warnings);
    }

    private static Hit ReadHit(ref Utf8JsonReader r)
    {
        string? crawl = null, file = null, warcType = null, recordId = null, uri = null, host = null, contentType = null, pattern = null, match = null, context = null;
        long recordOffset = 0, recordLength = 0, matchOffset = 0, lineOffset = 0;
        int patternIndex = 0;
        DateTime? date = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            string name = r.GetString()!;
            r.Read();
            switch (name)
            {
                case "crawl": crawl = r.GetString(); break;
                case "file": file = r.GetString(); break;
                case "record_offset": recordOffset = r.GetInt64(); break;
                case "record_length": recordLength = r.GetInt64(); break;
                case "warc_type": warcType = r.GetString(); break;
                case "record_id": recordId = r.GetString(); break;
                case "warc_date": date = r.TokenType == JsonTokenType.Null ? null : Time(r.GetString()!); break;
                case "target_uri": uri = r.GetString(); break;
                case "host": host = r.GetString(); break;
                case "content_type": contentType = r.GetString(); break;
                case "pattern_index": patternIndex = r.GetInt32(); break;
                case "pattern": pattern = r.GetString(); break;
                case "match": match = r.GetString(); break;
                case "match_offset": matchOffset = r.GetInt64(); break;
                case "context": context = r.GetString(); break;
                case PartialFields.LineOffset: lineOffset = r.GetInt64(); break;
                default: r.Skip(); break;
            }
        }
        return new Hit
        {
            File = file ?? throw new InvalidDataException("a hit without its file"),
            Crawl = crawl, RecordOffset = recordOffset, RecordLength = recordLength, WarcType = warcType, RecordId = recordId,
            WarcDate = date, TargetUri = uri, Host = host, ContentType = contentType, PatternIndex = patternIndex,
            Pattern = pattern ?? "", Match = match ?? "", MatchOffset = matchOffset, LineOffset = lineOffset, Context = context ?? "",
        };
    }

    private static ScanWarning ReadWarning(ref Utf8JsonReader r)
    {
        string file = "", message = "";
        long offset = 0;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            string name = r.GetString()!;
            r.Read();
            switch (name)
            {
                case "file": file = r.GetString() ?? ""; break;
                case "offset": offset = r.GetInt64(); break;
                case "message": message = r.GetString() ?? ""; break;
                default: r.Skip(); break;
            }
        }
        return new ScanWarning(file, offset, message);
    }

    private static TaskOutcome ReadOutcome(ref Utf8JsonReader r, out string? source)
    {
        source = null;
        string taskId = "", format = "";
        string? error = null;
        long start = 0, end = 0;
        bool stopped = false;
        DateTime started = default, finished = default;
        var stats = new ScanStats();
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            string name = r.GetString()!;
            r.Read();
            switch (name)
            {
                case "source": source = r.GetString(); break;
                case "task_id": taskId = r.GetString() ?? ""; break;
                case "start": start = r.GetInt64(); break;
                case "end": end = r.GetInt64(); break;
                case "format": format = r.GetString() ?? ""; break;
                case "error": error = r.GetString(); break;
                case "stopped": stopped = r.GetBoolean(); break;
                case "started_at": started = Time(r.GetString()!); break;
                case "finished_at": finished = Time(r.GetString()!); break;
                case "stats":
                    while (Next(ref r) == JsonTokenType.PropertyName)
                    {
                        string stat = r.GetString()!;
                        r.Read();
                        long v = r.GetInt64();
                        switch (stat)
                        {
                            case "records": stats.Records = v; break;
                            case "records_matched": stats.RecordsMatched = v; break;
                            case "records_scanned": stats.RecordsScanned = v; break;
                            case "compressed_bytes": stats.CompressedBytes = v; break;
                            case "decoded_bytes": stats.DecodedBytes = v; break;
                            case "payload_bytes": stats.PayloadBytes = v; break;
                            case "hits": stats.Hits = v; break;
                            case "warnings": stats.Warnings = v; break;
                            case "errors": stats.Errors = v; break;
                        }
                    }
                    break;
                default: r.Skip(); break;
            }
        }
        return new TaskOutcome(taskId, start, end, format, stats, error, started, finished, stopped);
    }

    private static DateTime Time(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static JsonTokenType Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new InvalidDataException("a line of a partial result is cut short");
        return r.TokenType;
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (Next(ref r) != type) throw new InvalidDataException($"expected {type}, found {r.TokenType}");
    }

    /// <summary>The lines of a stream, each valid until the next is asked for.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(Stream s)
    {
        byte[] buf = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int start = 0, filled = 0;
            while (true)
            {
                int nl = buf.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (nl >= 0)
                {
                    yield return buf.AsMemory(start, nl);
                    start += nl + 1;
                    continue;
                }
                // Keep the unfinished line: move it to the front, and grow the buffer when it fills it.
                int pending = filled - start;
                if (pending == buf.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buf.Length * 2);
                    buf.AsSpan(start, pending).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buf);
                    buf = bigger;
                }
                else buf.AsSpan(start, pending).CopyTo(buf);
                start = 0;
                filled = pending;
                int n = s.Read(buf, filled, buf.Length - filled);
                if (n == 0)
                {
                    if (filled > 0) throw new InvalidDataException("a partial result ends inside a line");
                    yield break;
                }
                filled += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }
}
