using System.Globalization;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Reads a request body (Content-Length or chunked) up to a limit. A longer body is read to its end and thrown
/// away, so that the 413 answering it reaches a client that is still sending, and the connection stays usable.
/// </summary>
internal static class HttpBody
{
    /// <summary>The body, or null when it is longer than limit; Length is its full length either way.</summary>
    public static async Task<(byte[]? Body, long Length)> ReadAsync(HttpReader reader, HttpHead head, int limit, CancellationToken ct)
    {
        var kept = new MemoryStream();
        long length = 0;
        var chunk = new byte[64 * 1024];

        async Task TakeAsync(long count)
        {
            for (long left = count; left > 0;)
            {
                int n = await reader.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), ct);
                if (n == 0) throw new IOException("connection closed inside a body");
                if (length + n <= limit) kept.Write(chunk, 0, n);
                length += n;
                left -= n;
            }
        }

        if (head.IsChunked)
        {
            while (true)
            {
                string line = await ReadLineAsync(reader, ct);
                long size = long.Parse(line.Split(';', 2)[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(reader, ct)).Length > 0) { } // trailer fields
                    break;
                }
                await TakeAsync(size);
                await ReadLineAsync(reader, ct);
            }
        }
        else if (head.ContentLength is long declared)
        {
            await TakeAsync(declared);
        }
        return (length > limit ? null : kept.ToArray(), length);
    }

    /// <summary>One CRLF-ended line of chunked framing, byte by byte: these lines are a few bytes long.</summary>
    private static async Task<string> ReadLineAsync(HttpReader reader, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await reader.ReadAsync(one, ct) == 0) throw new IOException("connection closed inside a chunked body");
            if (one[0] == '\n') break;
            line.Add(one[0]);
            if (line.Count > 4096) throw new IOException("chunk line too long");
        }
        if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
        return System.Text.Encoding.Latin1.GetString(line.ToArray());
    }
}
