using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>Reads a partial result written by <see cref="PartialWriter"/>; a damaged or cut one is an <see cref="InvalidDataException"/>.</summary>
public static class PartialReader
{
    /// <summary>A failure of the one a hit or warning is handed to (a closed output, the database): not damage in the partial.</summary>
    private sealed class ConsumerFailure(Exception inner) : Exception(inner.Message, inner);

    private static void Hand<T>(Action<T> consumer, T item)
    {
        try { consumer(item); }
        catch (Exception e) { throw new ConsumerFailure(e); }
    }

    /// <summary>
    /// Checks that a partial is whole (it decompresses to its end, its content checksum agrees) and reads its
    /// outcome, the last line, without decoding its hits: what a printer needs to know before it prints any of them.
    /// </summary>
    public static (string Source, TaskOutcome Outcome) Check(Stream compressed)
    {
        byte[]? last = null;
        try
        {
            using var zstd = new ZstdSharp.DecompressionStream(compressed, leaveOpen: true);
            foreach (var line in Lines(zstd)) last = line.Span.StartsWith("{\"o\":"u8) ? line.ToArray() : null;
        }
        catch (Exception e) when (e is IOException or ZstdSharp.ZstdException or InvalidOperationException)
        {
            throw new InvalidDataException($"damaged partial result: {e.Message}", e);
        }
        if (last is null) throw new InvalidDataException("damaged partial result: it ends before the task's outcome");
        try
        {
            var r = new Utf8JsonReader(last);
            Expect(ref r, JsonTokenType.StartObject);
            Expect(ref r, JsonTokenType.PropertyName);
            Expect(ref r, JsonTokenType.StartObject);
            var outcome = ReadOutcome(ref r, out string? source);
            return (source ?? throw new InvalidDataException("an outcome without its source"), outcome);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"damaged partial result: {e.Message}", e);
        }
    }

    /// <summary>Reads a whole partial into memory (tests, small partials).</summary>
    public static TaskPartial Read(Stream compressed)
    {
        var hits = new List<Hit>();
        var warnings = new List<ScanWarning>();
        var (source, outcome) = Read(compressed, hits.Add, warnings.Add);
        return new TaskPartial(source, outcome, hits, warnings);
    }

    /// <summary>
    /// Streams a partial: each hit and warning to its callback as it is decoded (none is kept), then its source and
    /// outcome. A partial whose outcome is missing (cut short) or that does not parse is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static (string Source, TaskOutcome Outcome) Read(Stream compressed, Action<Hit> onHit, Action<ScanWarning> onWarning)
    {
        var repeated = new RepeatedStrings();
        string? source = null;
        TaskOutcome? outcome = null;
        try
        {
            using var zstd = new ZstdSharp.DecompressionStream(compressed, leaveOpen: true);
            foreach (var line in Lines(zstd))
            {
                if (outcome is not null) throw new InvalidDataException("a line after the task's outcome");
                var r = new Utf8JsonReader(line.Span);
                Expect(ref r, JsonTokenType.StartObject);
                Expect(ref r, JsonTokenType.PropertyName);
                if (r.ValueTextEquals(PartialFields.Hit)) { Expect(ref r, JsonTokenType.StartObject); Hand(onHit, ReadHit(ref r, repeated)); }
                else if (r.ValueTextEquals(PartialFields.Warning)) { Expect(ref r, JsonTokenType.StartObject); Hand(onWarning, ReadWarning(ref r)); }
                else if (r.ValueTextEquals(PartialFields.Outcome)) { Expect(ref r, JsonTokenType.StartObject); outcome = ReadOutcome(ref r, out source); }
                else throw new InvalidDataException($"unknown line kind '{r.GetString()}'");
            }
        }
        catch (ConsumerFailure e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException!); // the consumer's own failure, as it was
        }
        catch (Exception e) when (e is JsonException or IOException or ZstdSharp.ZstdException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"damaged partial result: {e.Message}", e);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("damaged partial result", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"damaged partial result: {e.Message}", e);
        }
        if (outcome is null || source is null) throw new InvalidDataException("damaged partial result: it ends before the task's outcome");
        return (source, outcome);
    }

    /// <summary>
    /// One hit's columns. Names are compared as bytes, never made strings; the columns that repeat from hit to hit
    /// (file, crawl, type, pattern, host...) reuse the string of the hit before when their bytes are the same.
    /// </summary>
    private static Hit ReadHit(ref Utf8JsonReader r, RepeatedStrings repeated)
    {
        string? crawl = null, file = null, warcType = null, recordId = null, uri = null, host = null, contentType = null, pattern = null, match = null, context = null;
        long recordOffset = 0, recordLength = 0, matchOffset = 0, lineOffset = 0;
        int patternIndex = 0;
        DateTime? date = null;
        int expected = 0;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            // Columns come in the writer's order: the expected one is tried first, the others only when it is not.
            int column = r.ValueTextEquals(HitNames[expected]) ? expected : ColumnOf(ref r);
            expected = column < 0 ? expected : (column + 1) % HitNames.Length;
            r.Read();
            switch (column)
            {
                case 0: crawl = repeated.Get(ref r, 5); break;
                case 1: file = repeated.Get(ref r, 4); break;
                case 2: recordOffset = r.GetInt64(); break;
                case 3: recordLength = r.GetInt64(); break;
                case 4: warcType = repeated.Get(ref r, 6); break;
                case 5: recordId = repeated.Get(ref r, 2); break;
                case 6: date = r.TokenType == JsonTokenType.Null ? null : r.GetDateTime(); break;
                case 7: uri = repeated.Get(ref r, 1); break;
                case 8: host = repeated.Get(ref r, 3); break;
                case 9: contentType = repeated.Get(ref r, 7); break;
                case 10: patternIndex = r.GetInt32(); break;
                case 11: pattern = repeated.Get(ref r, 8); break;
                case 12: match = repeated.Get(ref r, 0); break;
                case 13: matchOffset = r.GetInt64(); break;
                case 14: context = r.GetString(); break;
                case 15: lineOffset = r.GetInt64(); break;
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

    /// <summary>A hit's columns in the order <see cref="PartialWriter"/> writes them (<see cref="HitColumns.Write"/>, then the line offset).</summary>
    private static readonly byte[][] HitNames =
    [
        "crawl"u8.ToArray(), "file"u8.ToArray(), "record_offset"u8.ToArray(), "record_length"u8.ToArray(), "warc_type"u8.ToArray(),
        "record_id"u8.ToArray(), "warc_date"u8.ToArray(), "target_uri"u8.ToArray(), "host"u8.ToArray(), "content_type"u8.ToArray(),
        "pattern_index"u8.ToArray(), "pattern"u8.ToArray(), "match"u8.ToArray(), "match_offset"u8.ToArray(), "context"u8.ToArray(),
        "line_offset"u8.ToArray(),
    ];

    private static int ColumnOf(ref Utf8JsonReader r)
    {
        for (int i = 0; i < HitNames.Length; i++)
            if (r.ValueTextEquals(HitNames[i])) return i;
        return -1;
    }

    /// <summary>Per column, the last string read and its bytes: a value equal to the one before is not made again.</summary>
    private sealed class RepeatedStrings
    {
        private readonly byte[][] _bytes = Enumerable.Range(0, 9).Select(_ => new byte[64]).ToArray();
        private readonly int[] _lengths = new int[9];
        private readonly string?[] _strings = new string?[9];

        public string? Get(ref Utf8JsonReader r, int column)
        {
            if (r.TokenType == JsonTokenType.Null) return null;
            if (r.ValueIsEscaped || r.HasValueSequence) return r.GetString();
            var value = r.ValueSpan;
            if (_strings[column] is { } last && value.SequenceEqual(_bytes[column].AsSpan(0, _lengths[column]))) return last;
            string s = Encoding.UTF8.GetString(value);
            if (value.Length > _bytes[column].Length) _bytes[column] = new byte[Math.Max(value.Length, _bytes[column].Length * 2)];
            value.CopyTo(_bytes[column]);
            _lengths[column] = value.Length;
            return _strings[column] = s;
        }
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
                            case "source_requests": stats.SourceRequests = v; break;
                            case "source_retries": stats.SourceRetries = v; break;
                            case "source_pushbacks": stats.SourcePushbacks = v; break;
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
