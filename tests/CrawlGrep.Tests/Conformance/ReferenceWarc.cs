using System.IO.Compression;
using System.Text;

namespace CrawlGrep.Tests.Conformance;

/// <summary>One record found by the reference splitter; all positions are in the decoded stream.</summary>
internal sealed record RefRecord(
    int Start,
    int BlockStart,
    int BlockLength,
    int End,
    IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? Field(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string Type => Field("WARC-Type") ?? "";
    public string? RecordId => Field("WARC-Record-ID");
}

/// <summary>
/// A deliberately plain WARC splitter that shares no code with the engine: whole-file GZipStream,
/// then "WARC/" line, header up to the first empty line, Content-Length bytes of block, record-ending
/// newlines. It accepts only clean files and returns null for anything else.
/// </summary>
internal static class ReferenceWarc
{
    public static byte[] Gunzip(byte[] compressed)
    {
        using var gz = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The decoded bytes of a whole plain or gzip file (gzip told by its magic bytes).</summary>
    public static byte[] Decoded(byte[] file) => file.Length >= 2 && file[0] == 0x1f && file[1] == 0x8b ? Gunzip(file) : file;

    /// <summary>Splits a decoded WARC into records, or returns null when it is not a clean WARC.</summary>
    public static List<RefRecord>? Split(byte[] data)
    {
        var records = new List<RefRecord>();
        int pos = 0;
        while (true)
        {
            int start = pos;
            while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n') pos++;
            if (pos == data.Length) return records;
            if (!data.AsSpan(pos).StartsWith("WARC/"u8)) return null;
            int recordStart = records.Count == 0 ? start : pos;

            // Header lines up to the first empty line.
            var fields = new List<KeyValuePair<string, string>>();
            int line = pos;
            int blockStart = -1;
            bool first = true;
            while (line < data.Length)
            {
                int nl = Array.IndexOf(data, (byte)'\n', line);
                if (nl < 0) return null;
                string text = Encoding.UTF8.GetString(data, line, nl - line).TrimEnd('\r');
                line = nl + 1;
                if (text.Length == 0) { blockStart = line; break; }
                if (first) { first = false; continue; }
                int colon = text.IndexOf(':');
                if (colon > 0) fields.Add(new(text[..colon].Trim(), text[(colon + 1)..].Trim()));
            }
            if (blockStart < 0) return null;
            string? cl = fields.FirstOrDefault(f => f.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
            if (cl is null || !int.TryParse(cl, out int length) || blockStart + length > data.Length) return null;
            pos = blockStart + length;
            // Records end with CRLF CRLF (LF LF in some files); eat the newlines that follow.
            int newlines = 0;
            while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n') { pos++; newlines++; }
            if (newlines == 0 && pos < data.Length) return null;
            records.Add(new RefRecord(recordStart, blockStart, length, pos, fields));
        }
    }

    public static ReadOnlySpan<byte> Block(byte[] data, RefRecord r) => data.AsSpan(r.BlockStart, r.BlockLength);

    /// <summary>
    /// The payload a grep should search: for response/request/revisit records with an HTTP message,
    /// what follows the first CRLF CRLF; for every other record, the whole block.
    /// </summary>
    public static ReadOnlySpan<byte> Payload(byte[] data, RefRecord r)
    {
        var block = Block(data, r);
        string type = r.Type.ToLowerInvariant();
        if (type is "response" or "request" or "revisit" && (block.StartsWith("HTTP/"u8) || LooksLikeRequestLine(block)))
        {
            int end = block.IndexOf("\r\n\r\n"u8);
            return end < 0 ? ReadOnlySpan<byte>.Empty : block[(end + 4)..];
        }
        return block;
    }

    /// <summary>HTTP head of a response/request block (empty for other records).</summary>
    public static string HttpHead(byte[] data, RefRecord r)
    {
        var block = Block(data, r);
        var payload = Payload(data, r);
        return payload.Length == block.Length ? "" : Encoding.ASCII.GetString(block[..(block.Length - payload.Length)]);
    }

    private static bool LooksLikeRequestLine(ReadOnlySpan<byte> block)
    {
        int nl = block.IndexOf((byte)'\n');
        if (nl < 0) return false;
        var first = Encoding.ASCII.GetString(block[..nl]);
        int sp = first.IndexOf(' ');
        return sp > 0 && first[..sp].All(c => c is >= 'A' and <= 'Z') && first.Contains(" HTTP/", StringComparison.Ordinal);
    }
}
