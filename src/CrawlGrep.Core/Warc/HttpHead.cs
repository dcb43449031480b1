using System.Text;

namespace CrawlGrep.Core.Warc;

/// <summary>
/// The HTTP status/request line and headers at the start of a response, request or revisit block.
/// Holds offsets into the block, so nothing is allocated unless a value is asked for.
/// </summary>
public sealed class HttpHead
{
    private (int Start, int Len) _contentType, _transferEncoding, _contentEncoding;

    /// <summary>Bytes of status line + headers + the empty line; the payload starts here.</summary>
    public int Length { get; private set; }
    public bool Found { get; private set; }
    public int StatusCode { get; private set; }

    public ReadOnlySpan<byte> ContentType(ReadOnlySpan<byte> block) => block.Slice(_contentType.Start, _contentType.Len);
    public ReadOnlySpan<byte> TransferEncoding(ReadOnlySpan<byte> block) => block.Slice(_transferEncoding.Start, _transferEncoding.Len);
    public ReadOnlySpan<byte> ContentEncoding(ReadOnlySpan<byte> block) => block.Slice(_contentEncoding.Start, _contentEncoding.Len);

    /// <summary>True when the block starts like an HTTP message.</summary>
    public static bool LooksLikeHttp(ReadOnlySpan<byte> block)
    {
        if (block.StartsWith("HTTP/"u8)) return true;
        int sp = block[..Math.Min(block.Length, 24)].IndexOf((byte)' ');
        if (sp <= 0) return false;
        foreach (byte b in block[..sp]) if (b is < (byte)'A' or > (byte)'Z') return false;
        int nl = block[..Math.Min(block.Length, 8192)].IndexOf((byte)'\n');
        return nl > 0 && block[..nl].IndexOf(" HTTP/"u8) > 0;
    }

    /// <summary>Parses the head of <paramref name="block"/>. Without an empty line the whole block is head (no payload).</summary>
    public void Parse(ReadOnlySpan<byte> block)
    {
        _contentType = _transferEncoding = _contentEncoding = default;
        StatusCode = 0;
        Found = LooksLikeHttp(block);
        if (!Found) { Length = 0; return; }
        int pos = 0;
        bool first = true;
        while (true)
        {
            int nl = block[pos..].IndexOf((byte)'\n');
            if (nl < 0) { Length = block.Length; return; }
            var line = block.Slice(pos, nl);
            int lineStart = pos;
            pos += nl + 1;
            line = line.TrimEnd((byte)'\r'); // CR CR LF endings occur in real files
            if (line.IsEmpty) { Length = pos; return; }
            if (first)
            {
                first = false;
                if (line.StartsWith("HTTP/"u8))
                {
                    int sp = line.IndexOf((byte)' ');
                    if (sp > 0 && line.Length >= sp + 4 && System.Buffers.Text.Utf8Parser.TryParse(line.Slice(sp + 1, 3), out int code, out int used) && used == 3)
                        StatusCode = code;
                }
                continue;
            }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = FieldText.TrimBlanks(line[..colon]);
            var rest = line[(colon + 1)..];
            int lead = rest.Length - rest.TrimStart(" \t"u8).Length;
            var value = FieldText.TrimBlanks(rest);
            int valueStart = lineStart + colon + 1 + lead;
            if (Ascii.EqualsIgnoreCase(name, "Content-Type"u8)) _contentType = (valueStart, value.Length);
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)) _transferEncoding = (valueStart, value.Length);
            else if (Ascii.EqualsIgnoreCase(name, "Content-Encoding"u8)) _contentEncoding = (valueStart, value.Length);
        }
    }
}
