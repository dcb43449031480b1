using System.Text;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// Buffered reading of HTTP/1.1 messages from a connection: heads, then body bytes through the same buffer
/// (a read of the head usually takes the first body bytes with it).
/// </summary>
internal sealed class HttpReader
{
    private const int MaxHead = 64 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public HttpReader(Stream stream) => _stream = stream;

    /// <summary>Bytes already read from the connection and not yet consumed.</summary>
    public int Buffered => _end - _start;

    /// <summary>
    /// The next message head (start line and fields, without the blank line), or null when the connection ends
    /// before its first byte. Throws IOException when it ends inside a head or the head is too long.
    /// </summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken ct)
    {
        int scanned = 0;
        while (true)
        {
            int end = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                int length = scanned + end;
                string text = Encoding.Latin1.GetString(_buffer, _start, length);
                _start += length + 4;
                return HttpHead.Parse(text);
            }
            scanned = Math.Max(0, _end - _start - 3);
            if (_end - _start >= MaxHead) throw new IOException("HTTP head too long");
            if (!await FillAsync(ct))
            {
                if (_end == _start) return null;
                throw new IOException("connection closed inside an HTTP head");
            }
        }
    }

    /// <summary>Reads up to destination.Length bytes: buffered ones first, then from the connection. 0 at its end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (_end > _start)
        {
            int n = Math.Min(destination.Length, _end - _start);
            _buffer.AsMemory(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }
        return await _stream.ReadAsync(destination, ct);
    }

    /// <summary>Reads exactly count bytes (a request body); throws when the connection ends first.</summary>
    public async Task<byte[]> ReadExactlyAsync(long count, CancellationToken ct)
    {
        var data = new byte[count];
        int done = 0;
        while (done < count)
        {
            int n = await ReadAsync(data.AsMemory(done), ct);
            if (n == 0) throw new IOException("connection closed inside a body");
            done += n;
        }
        return data;
    }

    /// <summary>
    /// Copies a chunked body as it is (sizes, data, trailer) to destination; returns the bytes copied.
    /// Forwarded raw so that nothing about the framing changes between the two sides.
    /// </summary>
    public async Task<long> CopyChunkedAsync(Stream destination, CancellationToken ct)
    {
        long total = 0;
        var chunk = new byte[16 * 1024];
        while (true)
        {
            string line = await ReadLineAsync(ct);
            total += await WriteLineAsync(destination, line, ct);
            string hex = line.Split(';', 2)[0].Trim();
            long size = Convert.ToInt64(hex, 16);
            if (size == 0)
            {
                // Trailer fields, then the blank line that ends the body.
                while (true)
                {
                    string trailer = await ReadLineAsync(ct);
                    total += await WriteLineAsync(destination, trailer, ct);
                    if (trailer.Length == 0) return total;
                }
            }
            for (long left = size; left > 0;)
            {
                int n = await ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), ct);
                if (n == 0) throw new IOException("connection closed inside a chunk");
                await destination.WriteAsync(chunk.AsMemory(0, n), ct);
                left -= n;
                total += n;
            }
            total += await WriteLineAsync(destination, await ReadLineAsync(ct), ct);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (nl >= 0)
            {
                string line = Encoding.Latin1.GetString(_buffer, _start, nl);
                _start += nl + 2;
                return line;
            }
            if (_end - _start >= MaxHead) throw new IOException("HTTP line too long");
            if (!await FillAsync(ct)) throw new IOException("connection closed inside a chunked body");
        }
    }

    private static async Task<int> WriteLineAsync(Stream destination, string line, CancellationToken ct)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(line + "\r\n");
        await destination.WriteAsync(bytes, ct);
        return bytes.Length;
    }

    /// <summary>Reads more bytes into the buffer, compacting it first; false at the end of the connection.</summary>
    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += n;
        return n > 0;
    }
}
