using System.Text;
using System.Buffers;
using System.Globalization;
using System.IO.Compression;

namespace CrawlGrep.Core.Warc;

/// <summary>
/// Undoes HTTP transfer- and content-encodings (chunked; gzip, deflate, br) so patterns match the
/// text a browser would see. Output is capped; a body that does not decode is matched as stored.
/// </summary>
public sealed class PayloadDecoder : IDisposable
{
    private byte[] _a = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private byte[] _b = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>Decoded output beyond this is not matched (a decompression bomb must not exhaust memory).</summary>
    public int MaxDecodedBytes { get; init; } = 16 << 20;

    public static bool NeedsDecoding(ReadOnlySpan<byte> transferEncoding, ReadOnlySpan<byte> contentEncoding) =>
        ContainsIgnoreCase(transferEncoding, "chunked"u8)
        || (!contentEncoding.IsEmpty && !Ascii.EqualsIgnoreCase(contentEncoding, "identity"u8));

    /// <summary>Returns the decoded payload (valid until the next call), or <paramref name="body"/> itself when decoding fails.</summary>
    public ReadOnlySpan<byte> Decode(ReadOnlySpan<byte> body, ReadOnlySpan<byte> transferEncoding, ReadOnlySpan<byte> contentEncoding, out string? problem)
    {
        problem = null;
        ReadOnlySpan<byte> current = body;
        bool inA = false;
        if (ContainsIgnoreCase(transferEncoding, "chunked"u8))
        {
            if (Dechunk(body, ref _a, out int n, out problem)) { current = _a.AsSpan(0, n); inA = true; }
            else return body;
        }
        // Content-Encoding lists codings in the order applied; undo them from the last.
        var codings = contentEncoding;
        while (!codings.IsEmpty)
        {
            int comma = codings.LastIndexOf((byte)',');
            var coding = FieldText.TrimBlanks(comma < 0 ? codings : codings[(comma + 1)..]);
            codings = comma < 0 ? default : codings[..comma];
            if (coding.IsEmpty || Ascii.EqualsIgnoreCase(coding, "identity"u8)) continue;
            ref byte[] target = ref inA ? ref _b : ref _a;
            string? p;
            int n = Inflate(current, coding, ref target, out p);
            if (n == -2) continue; // stored decoded
            if (n < 0) { problem = p; return current; }
            if (p is not null) problem = p;
            current = target.AsSpan(0, n);
            inA = !inA;
        }
        return current;
    }

    private int Inflate(ReadOnlySpan<byte> input, ReadOnlySpan<byte> coding, ref byte[] output, out string? problem)
    {
        problem = null;
        byte[] copy = ArrayPool<byte>.Shared.Rent(input.Length);
        try
        {
            input.CopyTo(copy);
            if (Ascii.EqualsIgnoreCase(coding, "gzip"u8) || Ascii.EqualsIgnoreCase(coding, "x-gzip"u8))
            {
                // Crawlers often store the body already decoded and keep the header: not damage.
                if (input.Length < 2 || input[0] != 0x1f || input[1] != 0x8b) return -2;
                return Drain(new GZipStream(new MemoryStream(copy, 0, input.Length), CompressionMode.Decompress), ref output, out problem);
            }
            if (Ascii.EqualsIgnoreCase(coding, "br"u8))
                return Drain(new BrotliStream(new MemoryStream(copy, 0, input.Length), CompressionMode.Decompress), ref output, out problem);
            if (Ascii.EqualsIgnoreCase(coding, "deflate"u8))
            {
                // "deflate" is zlib-wrapped by the RFC, raw deflate by many servers.
                bool zlib = input.Length >= 2 && (input[0] & 0x0F) == 8 && ((input[0] << 8) | input[1]) % 31 == 0;
                Stream s = zlib ? new ZLibStream(new MemoryStream(copy, 0, input.Length), CompressionMode.Decompress)
                                : new DeflateStream(new MemoryStream(copy, 0, input.Length), CompressionMode.Decompress);
                return Drain(s, ref output, out problem);
            }
            problem = $"unknown Content-Encoding '{System.Text.Encoding.ASCII.GetString(coding)}': matched as stored";
            return -1;
        }
        finally { ArrayPool<byte>.Shared.Return(copy); }
    }

    private int Drain(Stream s, ref byte[] output, out string? problem)
    {
        problem = null;
        int n = 0;
        using (s)
        {
            try
            {
                while (true)
                {
                    if (n == output.Length)
                    {
                        if (n >= MaxDecodedBytes) { problem = $"decoded payload exceeds {MaxDecodedBytes} bytes: only the first {n} are matched"; return n; }
                        Grow(ref output, n, Math.Min(MaxDecodedBytes, output.Length * 2));
                    }
                    int r = s.Read(output, n, output.Length - n);
                    if (r <= 0) return n;
                    n += r;
                }
            }
            catch (InvalidDataException e)
            {
                if (n == 0) { problem = $"payload does not decode ({e.Message}): matched as stored"; return -1; }
                problem = $"payload decoding stopped after {n} bytes ({e.Message})";
                return n;
            }
        }
    }

    private bool Dechunk(ReadOnlySpan<byte> body, ref byte[] output, out int n, out string? problem)
    {
        problem = null;
        n = 0;
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            if (nl < 0) break;
            var sizeText = body.Slice(pos, nl).TrimEnd("\r"u8);
            int semi = sizeText.IndexOf((byte)';');
            if (semi >= 0) sizeText = sizeText[..semi];
            sizeText = FieldText.TrimBlanks(sizeText);
            if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                // Many writers store the body de-chunked but keep the header: not damage, match it as stored.
                if (n == 0) return false;
                problem = "malformed chunked encoding: matched what came before the damage";
                return true;
            }
            pos += nl + 1;
            if (size == 0) return true;
            int take = (int)Math.Min(size, body.Length - pos);
            if (n + take > MaxDecodedBytes) { problem = $"decoded payload exceeds {MaxDecodedBytes} bytes"; return true; }
            if (n + take > output.Length) Grow(ref output, n, Math.Max(n + take, output.Length * 2));
            body.Slice(pos, take).CopyTo(output.AsSpan(n));
            n += take;
            pos += take;
            if (take < size) { problem = "chunked body truncated"; return true; }
            // chunk data is followed by CRLF
            if (pos < body.Length && body[pos] == '\r') pos++;
            if (pos < body.Length && body[pos] == '\n') pos++;
        }
        return true;
    }

    private static void Grow(ref byte[] buf, int keep, int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(buf, 0, bigger, 0, keep);
        ArrayPool<byte>.Shared.Return(buf);
        buf = bigger;
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> word)
    {
        for (int i = 0; i + word.Length <= s.Length; i++)
            if (Ascii.EqualsIgnoreCase(s.Slice(i, word.Length), word)) return true;
        return false;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_a);
        ArrayPool<byte>.Shared.Return(_b);
    }
}
