using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 serving the files under a folder, with the parts of HTTP a ranged
/// reader relies on: GET and HEAD, single byte ranges (206 / 416), Content-Length, Accept-Ranges, an ETag
/// and keep-alive. Built on a TcpListener so that the bytes on the wire are exactly what the tests expect,
/// and files are streamed, never loaded whole.
/// </summary>
public sealed class RangeFileServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly string _root;
    private int _requests;

    public RangeFileServer(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException(_root);
        _listener = new LoopbackListener(ServeConnectionAsync);
    }

    public int Port => _listener.Port;

    /// <summary>"http://127.0.0.1:PORT/"; a file's URL is this plus its path relative to the root.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>The folder served.</summary>
    public string Root => _root;

    /// <summary>Requests answered so far (all methods and statuses).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>URL of a file given by its path relative to the root ('/' separated; each segment escaped).</summary>
    public string UrlOf(string relativePath) =>
        BaseUrl + string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>The ETag served for a file: size and last write time, so it changes when the file does.</summary>
    public static string ETagOf(FileInfo file) =>
        $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"";

    public void Dispose() => _listener.Dispose();

    private async Task ServeConnectionAsync(Socket socket, CancellationToken ct)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpReader(stream);
        while (await reader.ReadHeadAsync(ct) is { } request)
        {
            Interlocked.Increment(ref _requests);
            // Request bodies are not used; skip them so the next request on the connection parses.
            if (request.ContentLength is long bodyLength and > 0) await reader.ReadExactlyAsync(bodyLength, ct);
            bool keepAlive = request.KeepAlive(request.RequestVersion);
            await RespondAsync(stream, request, keepAlive, ct);
            if (!keepAlive) break;
        }
    }

    private async Task RespondAsync(Stream stream, HttpHead request, bool keepAlive, CancellationToken ct)
    {
        bool head = request.Method == "HEAD";
        if (request.Method is not ("GET" or "HEAD"))
        {
            await SimpleAsync(stream, 405, "Method Not Allowed", keepAlive, head, [new("Allow", "GET, HEAD")], ct);
            return;
        }
        var file = Resolve(request.Target);
        if (file is null)
        {
            await SimpleAsync(stream, 404, "Not Found", keepAlive, head, [], ct);
            return;
        }

        long size = file.Length;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Accept-Ranges", "bytes"),
            new("ETag", ETagOf(file)),
            new("Last-Modified", file.LastWriteTimeUtc.ToString("R", CultureInfo.InvariantCulture)),
            new("Content-Type", "application/octet-stream"),
        };
        long start = 0, length = size;
        int status = 200;
        string reason = "OK";
        if (request.Get("Range") is { } range && ParseRange(range, size) is { } r)
        {
            if (r.Start < 0)
            {
                fields.Add(new("Content-Range", $"bytes */{size}"));
                await SimpleAsync(stream, 416, "Range Not Satisfiable", keepAlive, head, fields, ct);
                return;
            }
            (start, length, status, reason) = (r.Start, r.Length, 206, "Partial Content");
            fields.Add(new("Content-Range", $"bytes {start}-{start + length - 1}/{size}"));
        }
        fields.Add(new("Content-Length", length.ToString(CultureInfo.InvariantCulture)));
        if (!keepAlive) fields.Add(new("Connection", "close"));
        await stream.WriteAsync(new HttpHead($"HTTP/1.1 {status} {reason}", fields).ToBytes(), ct);
        if (head || length == 0) return;

        await using var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        input.Position = start;
        var buffer = new byte[64 * 1024];
        for (long left = length; left > 0;)
        {
            int n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (n == 0) throw new IOException($"{file.FullName} shrank while it was served");
            await stream.WriteAsync(buffer.AsMemory(0, n), ct);
            left -= n;
        }
    }

    /// <summary>
    /// A single range "bytes=a-b", "bytes=a-" or "bytes=-n" against a size: null when the field is malformed or
    /// asks for several ranges (then it is ignored and the whole file is sent, as RFC 9110 allows), Start = -1
    /// when it cannot be satisfied.
    /// </summary>
    internal static (long Start, long Length)? ParseRange(string value, long size)
    {
        value = value.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        string spec = value[6..].Trim();
        if (spec.Contains(',')) return null;
        int dash = spec.IndexOf('-');
        if (dash < 0) return null;
        string first = spec[..dash].Trim(), last = spec[(dash + 1)..].Trim();
        const NumberStyles digits = NumberStyles.None;
        if (first.Length == 0)
        {
            // Suffix range: the last n bytes.
            if (!long.TryParse(last, digits, CultureInfo.InvariantCulture, out long suffix)) return null;
            if (suffix == 0 || size == 0) return (-1, 0);
            long n = Math.Min(suffix, size);
            return (size - n, n);
        }
        if (!long.TryParse(first, digits, CultureInfo.InvariantCulture, out long a)) return null;
        long b = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, digits, CultureInfo.InvariantCulture, out b) || b < a) return null;
            b = Math.Min(b, size - 1);
        }
        if (a >= size) return (-1, 0);
        return (a, b - a + 1);
    }

    /// <summary>The file a request target names under the root, or null (missing, a folder, or outside the root).</summary>
    private FileInfo? Resolve(string target)
    {
        int query = target.IndexOfAny(['?', '#']);
        if (query >= 0) target = target[..query];
        if (!target.StartsWith('/')) return null;
        string relative = Uri.UnescapeDataString(target.TrimStart('/'));
        if (relative.Length == 0 || relative.Contains('\0')) return null;
        string full = Path.GetFullPath(Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar)));
        // No escaping the root with "..", encoded slashes or absolute paths.
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        var file = new FileInfo(full);
        return file.Exists ? file : null;
    }

    private static async Task SimpleAsync(Stream stream, int status, string reason, bool keepAlive, bool head,
        List<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        byte[] body = Encoding.UTF8.GetBytes($"{status} {reason}\n");
        fields.Add(new("Content-Type", "text/plain; charset=utf-8"));
        fields.Add(new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
        if (!keepAlive) fields.Add(new("Connection", "close"));
        await stream.WriteAsync(new HttpHead($"HTTP/1.1 {status} {reason}", fields).ToBytes(), ct);
        if (!head) await stream.WriteAsync(body, ct);
    }
}
