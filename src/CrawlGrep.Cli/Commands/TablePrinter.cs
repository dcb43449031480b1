using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrawlGrep.Core.Results;
using Spectre.Console;

namespace CrawlGrep.Cli.Commands;

/// <summary>How query results are printed.</summary>
public enum OutputFormat
{
    /// <summary>An aligned table for people: Spectre.Console on a terminal, plain ASCII when redirected.</summary>
    Table,
    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,
    /// <summary>One JSON object per row (NDJSON), typed: numbers, booleans, arrays, null.</summary>
    Json,
}

/// <summary>Prints a <see cref="SqlResult"/> as a table, CSV or NDJSON.</summary>
public static class TablePrinter
{
    /// <summary>Cells wider than this are cut in tables (CSV and JSON are never cut).</summary>
    public const int MaxCellWidth = 80;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Prints <paramref name="result"/> to <paramref name="output"/>. The table is drawn with
    /// Spectre.Console only when <paramref name="output"/> is the console and stdout is a terminal.</summary>
    public static void Print(SqlResult result, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Csv: WriteCsv(result, output); break;
            case OutputFormat.Json: WriteJson(result, output); break;
            default:
                if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected) WriteSpectreTable(result);
                else WriteTable(result, output);
                break;
        }
        output.Flush();
    }

    // ---- table ----

    /// <summary>A plain ASCII table, psql style: <c>a | b</c>, a rule, rows, and <c>(N rows)</c>.</summary>
    public static void WriteTable(SqlResult result, TextWriter w)
    {
        var n = result.Columns.Count;
        if (n == 0)
        {
            w.WriteLine("OK");
            return;
        }
        var cells = result.Rows.Select(r => r.Select(TableCell).ToArray()).ToList();
        var numeric = NumericColumns(result);
        var widths = new int[n];
        for (var c = 0; c < n; c++)
        {
            widths[c] = result.Columns[c].Length;
            foreach (var row in cells) widths[c] = Math.Max(widths[c], row[c].Length);
        }

        var sb = new StringBuilder();
        for (var c = 0; c < n; c++)
        {
            if (c > 0) sb.Append(" | ");
            sb.Append(Clip(Clean(result.Columns[c])).PadRight(widths[c]));
        }
        w.WriteLine(sb.ToString().TrimEnd());
        sb.Clear();
        for (var c = 0; c < n; c++)
        {
            if (c > 0) sb.Append("-+-");
            sb.Append('-', widths[c]);
        }
        w.WriteLine(sb.ToString());
        foreach (var row in cells)
        {
            sb.Clear();
            for (var c = 0; c < n; c++)
            {
                if (c > 0) sb.Append(" | ");
                sb.Append(numeric[c] ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }
            w.WriteLine(sb.ToString().TrimEnd());
        }
        w.WriteLine(result.Rows.Count == 1 ? "(1 row)" : $"({result.Rows.Count} rows)");
    }

    private static void WriteSpectreTable(SqlResult result)
    {
        if (result.Columns.Count == 0)
        {
            AnsiConsole.WriteLine("OK");
            return;
        }
        var numeric = NumericColumns(result);
        var table = new Table().Border(TableBorder.Rounded);
        for (var c = 0; c < result.Columns.Count; c++)
        {
            var column = new TableColumn(new Text(result.Columns[c], new Style(decoration: Decoration.Bold)));
            if (numeric[c]) column.RightAligned();
            table.AddColumn(column);
        }
        foreach (var row in result.Rows)
            table.AddRow(row.Select(v => (Spectre.Console.Rendering.IRenderable)(v is null
                ? new Text("NULL", new Style(foreground: Color.Grey))
                : new Text(TableCell(v)))).ToArray());
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(result.Rows.Count == 1 ? "(1 row)" : $"({result.Rows.Count} rows)");
    }

    private static bool[] NumericColumns(SqlResult result)
    {
        var numeric = new bool[result.Columns.Count];
        for (var c = 0; c < numeric.Length; c++)
        {
            var any = false;
            var all = true;
            foreach (var row in result.Rows)
            {
                if (row[c] is null) continue;
                any = true;
                if (!IsNumber(row[c])) { all = false; break; }
            }
            numeric[c] = any && all;
        }
        return numeric;
    }

    private static string TableCell(object? v) => v is null ? "NULL" : Clip(Clean(FormatValue(v)));

    private static string Clean(string s)
    {
        if (!s.Any(char.IsControl)) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s) sb.Append(char.IsControl(ch) ? ' ' : ch);
        return sb.ToString();
    }

    private static string Clip(string s) => s.Length <= MaxCellWidth ? s : s[..(MaxCellWidth - 3)] + "...";

    // ---- CSV ----

    /// <summary>RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF
    /// (or lead/trail with a space), quotes doubled. NULL is an empty field.</summary>
    public static void WriteCsv(SqlResult result, TextWriter w)
    {
        WriteCsvRecord(w, result.Columns);
        foreach (var row in result.Rows)
            WriteCsvRecord(w, row.Select(v => v is null ? "" : FormatValue(v)).ToList());
    }

    private static void WriteCsvRecord(TextWriter w, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) w.Write(',');
            w.Write(CsvField(fields[i]));
        }
        w.Write("\r\n");
    }

    internal static string CsvField(string s)
    {
        var quote = s.Length > 0 && (s[0] == ' ' || s[^1] == ' ' || s.AsSpan().IndexOfAny(",\"\r\n") >= 0);
        return quote ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    // ---- JSON ----

    /// <summary>NDJSON: one object per row, keys in column order, values typed.</summary>
    public static void WriteJson(SqlResult result, TextWriter w)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        foreach (var row in result.Rows)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                for (var c = 0; c < result.Columns.Count; c++)
                {
                    json.WritePropertyName(result.Columns[c]);
                    WriteJsonValue(json, row[c]);
                }
                json.WriteEndObject();
            }
            w.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            w.Write('\n');
        }
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? v)
    {
        switch (v)
        {
            case null or DBNull: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case short s16: json.WriteNumberValue(s16); break;
            case sbyte s8: json.WriteNumberValue(s8); break;
            case byte u8: json.WriteNumberValue(u8); break;
            case ushort u16: json.WriteNumberValue(u16); break;
            case uint u32: json.WriteNumberValue(u32); break;
            case ulong u64: json.WriteNumberValue(u64); break;
            case decimal m: json.WriteNumberValue(m); break;
            case BigInteger big: json.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double or float: json.WriteStringValue(FormatValue(v)); break;
            case DateTime dt: json.WriteStringValue(FormatTimestamp(dt, 'T')); break;
            case DateTimeOffset dto: json.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture)); break;
            case byte[] bytes: json.WriteBase64StringValue(bytes); break;
            case Stream stream: json.WriteBase64StringValue(ReadAll(stream)); break;
            case IDictionary map:
                json.WriteStartObject();
                foreach (var e in Entries(map))
                {
                    json.WritePropertyName(FormatValue(e.Key));
                    WriteJsonValue(json, e.Value);
                }
                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) WriteJsonValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(FormatValue(v)); break;
        }
    }

    // ---- values ----

    /// <summary>A value as text, as DuckDB's own CLI shows it: timestamps <c>2024-05-01 12:00:00</c>, lists
    /// <c>[a, b]</c>, structs <c>{k: v}</c>, invariant-culture numbers.</summary>
    public static string FormatValue(object? v) => v switch
    {
        null or DBNull => "NULL",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime dt => FormatTimestamp(dt, ' '),
        DateTimeOffset dto => FormatTimestamp(dto.UtcDateTime, ' ') + "+00",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "HH:mm:ss" : "HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "nan" : float.IsPositiveInfinity(f) ? "inf" : float.IsNegativeInfinity(f) ? "-inf" : f.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        Stream stream => Convert.ToHexString(ReadAll(stream)),
        IDictionary map => "{" + string.Join(", ", Entries(map).Select(e => $"{FormatValue(e.Key)}: {FormatValue(e.Value)}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(FormatValue)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>
    /// A map's entries through its dictionary enumerator: a generic dictionary (what DuckDB.NET gives for a MAP)
    /// enumerates key-value pairs, not <see cref="DictionaryEntry"/>s, through plain <see cref="IEnumerable"/>.
    /// </summary>
    private static IEnumerable<DictionaryEntry> Entries(IDictionary map)
    {
        var e = map.GetEnumerator();
        while (e.MoveNext()) yield return e.Entry;
    }

    internal static string FormatTimestamp(DateTime dt, char separator)
    {
        var format = dt.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff";
        var s = dt.ToString(format, CultureInfo.InvariantCulture);
        return separator == ' ' ? s : s.Replace(' ', separator);
    }

    private static bool IsNumber(object? v) => v is long or int or short or sbyte or byte or ushort or uint or ulong
        or decimal or double or float or BigInteger;

    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek) stream.Position = 0;
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
