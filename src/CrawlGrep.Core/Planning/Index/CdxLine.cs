using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// A line of Common Crawl's CDX index, in either of its two shapes:
/// CDXJ, <c>SURT TIMESTAMP {json}</c>, as in the <c>cdx-NNNNN.gz</c> files and the server's default answer; or one
/// JSON object with <c>urlkey</c> and <c>timestamp</c> among its keys, as the server answers <c>output=json</c>.
/// <see cref="Parse(string, long)"/> reads either into a <see cref="CdxRecord"/>; <see cref="Format"/> writes CDXJ
/// as CC does (its key order, every value a string, <c>", "</c> and <c>": "</c> separators, non-ASCII escaped).
/// </summary>
public static class CdxLine
{
    /// <summary>CC's capture timestamps: 14 digits, UTC.</summary>
    public const string TimestampFormat = "yyyyMMddHHmmss";

    /// <summary>Reads one line. Throws <see cref="CdxLineException"/> naming <paramref name="lineNumber"/> and the fault.</summary>
    public static CdxRecord Parse(string line, long lineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Parse(Encoding.UTF8.GetBytes(line), lineNumber);
    }

    /// <inheritdoc cref="Parse(string, long)"/>
    public static CdxRecord Parse(ReadOnlySpan<byte> utf8Line, long lineNumber = 1)
    {
        var line = utf8Line.Trim(" \t\r\n"u8);
        if (line.IsEmpty) throw new CdxLineException(lineNumber, "the line is empty");

        var fields = new Fields();
        var json = line;
        if (line[0] != (byte)'{')
        {
            int space = line.IndexOf((byte)' ');
            if (space <= 0) throw new CdxLineException(lineNumber, "expected 'SURT TIMESTAMP {json}' or a JSON object");
            fields.UrlKey = Encoding.UTF8.GetString(line[..space]);
            var rest = line[(space + 1)..].TrimStart((byte)' ');
            space = rest.IndexOf((byte)' ');
            fields.Timestamp = Encoding.UTF8.GetString(space < 0 ? rest : rest[..space]);
            json = space < 0 ? default : rest[(space + 1)..].TrimStart((byte)' ');
            if (json.IsEmpty || json[0] != (byte)'{') throw new CdxLineException(lineNumber, "no JSON object after the SURT key and timestamp");
        }
        ReadObject(json, fields, lineNumber);
        return fields.ToRecord(lineNumber);
    }

    /// <summary>As <see cref="Parse(string, long)"/>, for callers that warn and skip: false with the error for a malformed line.</summary>
    public static bool TryParse(string line, long lineNumber, [NotNullWhen(true)] out CdxRecord? record, [NotNullWhen(false)] out CdxLineException? error)
    {
        try
        {
            record = Parse(line, lineNumber);
            error = null;
            return true;
        }
        catch (CdxLineException e)
        {
            record = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// The records of every non-blank line, numbered from 1. A malformed line goes to <paramref name="malformed"/> and
    /// is skipped; without it, the first one throws.
    /// </summary>
    public static IEnumerable<CdxRecord> ReadAll(TextReader reader, Action<CdxLineException>? malformed = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (TryParse(line, number, out var record, out var error)) yield return record;
            else if (malformed is not null) malformed(error);
            else throw error;
        }
    }

    /// <summary>The CDXJ line of <paramref name="record"/> (no newline), byte for byte as CC writes it.</summary>
    public static string Format(CdxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.UrlKey is null || record.Timestamp is null) throw new ArgumentException("a CDXJ line needs the SURT key and the timestamp", nameof(record));
        var sb = new StringBuilder(256 + record.Url.Length + record.Filename.Length);
        sb.Append(record.UrlKey).Append(' ').Append(record.Timestamp).Append(" {");
        int count = 0;
        Field(sb, ref count, "url", record.Url);
        Field(sb, ref count, "mime", record.Mime);
        Field(sb, ref count, "mime-detected", record.MimeDetected);
        Field(sb, ref count, "status", record.Status?.ToString(CultureInfo.InvariantCulture));
        Field(sb, ref count, "digest", record.Digest);
        Field(sb, ref count, "length", record.Length.ToString(CultureInfo.InvariantCulture));
        Field(sb, ref count, "offset", record.Offset.ToString(CultureInfo.InvariantCulture));
        Field(sb, ref count, "filename", record.Filename);
        Field(sb, ref count, "charset", record.Charset);
        Field(sb, ref count, "languages", record.Languages);
        Field(sb, ref count, "truncated", record.Truncated);
        Field(sb, ref count, "redirect", record.Redirect);
        return sb.Append('}').ToString();
    }

    private static void Field(StringBuilder sb, ref int count, string key, string? value)
    {
        if (value is null) return;
        if (count++ > 0) sb.Append(", ");
        AppendQuoted(sb, key);
        sb.Append(": ");
        AppendQuoted(sb, value);
    }

    /// <summary>A JSON string as CC's writer (Jackson with ESCAPE_NON_ASCII) writes it: <c>/</c> and <c>&amp;</c> as they are.</summary>
    private static void AppendQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E && c != 0x7F) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Reads the JSON object's string (or number) values into <paramref name="fields"/>; nested values are skipped.</summary>
    private static void ReadObject(ReadOnlySpan<byte> json, Fields fields, long lineNumber)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new CdxLineException(lineNumber, "the JSON part is not an object");
            while (true)
            {
                if (!reader.Read()) throw new CdxLineException(lineNumber, "the JSON object is cut short");
                if (reader.TokenType == JsonTokenType.EndObject) break;
                string name = reader.GetString()!;
                if (!reader.Read()) throw new CdxLineException(lineNumber, "the JSON object is cut short");
                switch (reader.TokenType)
                {
                    case JsonTokenType.String: fields.Set(name, reader.GetString()); break;
                    case JsonTokenType.Number: fields.Set(name, Encoding.UTF8.GetString(reader.ValueSpan)); break;
                    case JsonTokenType.Null: fields.Set(name, null); break;
                    case JsonTokenType.True or JsonTokenType.False: fields.Set(name, reader.TokenType == JsonTokenType.True ? "true" : "false"); break;
                    default: reader.Skip(); break; // objects and arrays: no key of CC's holds one
                }
            }
        }
        catch (JsonException e)
        {
            bool cut = reader.BytesConsumed >= json.Length || e.BytePositionInLine >= json.Length;
            throw new CdxLineException(lineNumber, cut
                ? "the JSON object is cut short"
                : $"the JSON object is malformed at byte {e.BytePositionInLine + 1} of it");
        }
        if (!json[(int)reader.BytesConsumed..].Trim(" \t"u8).IsEmpty)
            throw new CdxLineException(lineNumber, "text follows the JSON object");
    }

    /// <summary>The values of one line as read, before they are checked.</summary>
    private sealed class Fields
    {
        public string? UrlKey, Timestamp, Url, Mime, MimeDetected, Status, Digest, Length, Offset, Filename, Charset, Languages, Truncated, Redirect;

        public void Set(string key, string? value)
        {
            switch (key)
            {
                case "urlkey": UrlKey ??= value; break;
                case "timestamp": Timestamp ??= value; break;
                case "url": Url = value; break;
                case "mime": Mime = value; break;
                case "mime-detected": MimeDetected = value; break;
                case "status": Status = value; break;
                case "digest": Digest = value; break;
                case "length": Length = value; break;
                case "offset": Offset = value; break;
                case "filename": Filename = value; break;
                case "charset" or "encoding": Charset = value; break;
                case "languages": Languages = value; break;
                case "truncated": Truncated = value; break;
                case "redirect": Redirect = value; break;
            }
        }

        public CdxRecord ToRecord(long lineNumber)
        {
            if (Timestamp is not null && (Timestamp.Length != TimestampFormat.Length || !DateTime.TryParseExact(Timestamp, TimestampFormat,
                    CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)))
                throw new CdxLineException(lineNumber, $"the timestamp '{Timestamp}' is not a time of 14 digits (yyyyMMddHHmmss)");
            return new CdxRecord
            {
                UrlKey = UrlKey,
                Timestamp = Timestamp,
                Url = Required(Url, "url", lineNumber),
                Mime = Mime,
                MimeDetected = MimeDetected,
                Status = Status is null or "-" ? null : (int)Number(Status, "status", lineNumber, 0, 999),
                Digest = Digest,
                Length = Number(Required(Length, "length", lineNumber), "length", lineNumber, 1, long.MaxValue),
                Offset = Number(Required(Offset, "offset", lineNumber), "offset", lineNumber, 0, long.MaxValue),
                Filename = Required(Filename, "filename", lineNumber),
                Charset = Charset,
                Languages = Languages,
                Truncated = Truncated,
                Redirect = Redirect,
            };
        }

        private static string Required(string? value, string key, long lineNumber) =>
            string.IsNullOrEmpty(value) ? throw new CdxLineException(lineNumber, $"no \"{key}\"") : value;

        private static long Number(string value, string key, long lineNumber, long min, long max)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                throw new CdxLineException(lineNumber, $"\"{key}\" is not a whole number: '{value}'");
            if (n < min || n > max)
                throw new CdxLineException(lineNumber, $"\"{key}\" is out of range: {value}");
            return n;
        }
    }
}
