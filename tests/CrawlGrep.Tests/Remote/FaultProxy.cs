using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// A TCP-level HTTP/1.1 proxy on 127.0.0.1 in front of one upstream (s3rver, <see cref="RangeFileServer"/>),
/// injecting the faults of a <see cref="FaultPlan"/>: 503 SlowDown, bodies cut by a reset or a clean close,
/// stalls, permanently failing targets. Messages are forwarded byte for byte (the Host field included: SigV4
/// signs it), so a client pointed at <see cref="BaseUrl"/> sees the upstream's answers except for the faults.
/// Each client connection gets its own upstream connection; bodies are streamed.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private const string SlowDownBody =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";

    private readonly LoopbackListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly ConcurrentQueue<string> _requestLines = new();
    private volatile FaultPlanState _plan = new(FaultPlan.None);
    private long _bodyBytesSent;
    private int _requests;
    private int _faults;

    /// <param name="upstream">Base URL of the upstream ("http://127.0.0.1:PORT"); only its host and port are used.</param>
    public FaultProxy(string upstream, FaultPlan? plan = null)
    {
        var uri = new Uri(upstream);
        if (uri.Scheme != Uri.UriSchemeHttp) throw new ArgumentException("the upstream must be plain http", nameof(upstream));
        (_upstreamHost, _upstreamPort) = (uri.Host, uri.Port);
        if (plan is not null) _plan = new FaultPlanState(plan);
        _listener = new LoopbackListener(ServeClientAsync, backlog: 512);
    }

    public int Port => _listener.Port;

    /// <summary>"http://127.0.0.1:PORT" (no trailing slash, like an S3 ServiceURL).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The faults to inject. Setting it restarts the first-N count and the seeded random sequence.</summary>
    public FaultPlan Plan
    {
        get => _plan.Plan;
        set => _plan = new FaultPlanState(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Response body bytes sent to clients (chunked bodies counted with their framing).</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);

    /// <summary>Requests received from clients, faulted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Faults injected: 503s, resets, truncations, stalls.</summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>"METHOD TARGET" of each request in arrival order, with " RANGE" (e.g. "bytes=0-99") when it had one.</summary>
    public IReadOnlyList<string> RequestLines => _requestLines.ToArray();

    /// <summary>Zeroes the counters and forgets the request lines (the plan stays).</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _bodyBytesSent, 0);
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _faults, 0);
        _requestLines.Clear();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>One client connection: requests in turn, each forwarded on this connection's upstream connection.</summary>
    private async Task ServeClientAsync(Socket client, CancellationToken ct)
    {
        UpstreamConnection? upstream = null;
        try
        {
            client.NoDelay = true;
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            var reader = new HttpReader(clientStream);
            while (await reader.ReadHeadAsync(ct) is { } request)
            {
                Interlocked.Increment(ref _requests);
                string? range = request.Get("Range");
                _requestLines.Enqueue($"{request.Method} {request.Target}{(range is null ? "" : " " + range)}");

                if (request.HasToken("Expect", "100-continue"))
                {
                    // Answer it here: the body is read whole before the request goes on, and the upstream's own
                    // 100 is skipped below.
                    await clientStream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct);
                }
                byte[] body = await ReadRequestBodyAsync(reader, request, ct);
                bool clientKeepAlive = request.KeepAlive(request.RequestVersion);

                var fault = _plan.Draw(request);
                if (fault.Status != 0)
                {
                    Interlocked.Increment(ref _faults);
                    await SendErrorAsync(clientStream, fault.Status, clientKeepAlive, request.Method == "HEAD", Plan.RetryAfterSeconds, ct);
                    if (!clientKeepAlive) return;
                    continue;
                }

                var (response, upstreamConnection) = await ExchangeAsync(upstream, request, body, ct);
                upstream = upstreamConnection;
                bool open = await RelayResponseAsync(client, clientStream, request, response, upstream, fault, ct);
                if (!open || !response.KeepAlive(StatusVersion(response)))
                {
                    upstream.Dispose();
                    upstream = null;
                }
                if (!open || !clientKeepAlive) return;
            }
        }
        finally
        {
            upstream?.Dispose();
        }
    }

    private static async Task<byte[]> ReadRequestBodyAsync(HttpReader reader, HttpHead request, CancellationToken ct)
    {
        if (request.IsChunked)
        {
            using var raw = new MemoryStream();
            await reader.CopyChunkedAsync(raw, ct);
            return raw.ToArray();
        }
        return request.ContentLength is long n and > 0 ? await reader.ReadExactlyAsync(n, ct) : [];
    }

    /// <summary>
    /// Sends the request upstream and reads the final response head. A reused upstream connection the server
    /// closed while idle (s3rver drops them after 5 s) ends before any answer; then the request goes once more
    /// on a fresh connection.
    /// </summary>
    private async Task<(HttpHead Response, UpstreamConnection Connection)> ExchangeAsync(UpstreamConnection? reused, HttpHead request, byte[] body, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var connection = reused ?? await UpstreamConnection.ConnectAsync(_upstreamHost, _upstreamPort, _listener.Open, ct);
            try
            {
                await connection.Stream.WriteAsync(request.ToBytes(), ct);
                if (body.Length > 0) await connection.Stream.WriteAsync(body, ct);
                while (true)
                {
                    var response = await connection.Reader.ReadHeadAsync(ct)
                        ?? throw new IOException("upstream closed the connection without answering");
                    if (response.Status is >= 100 and < 200) continue; // interim (100 Continue): already answered
                    return (response, connection);
                }
            }
            catch (IOException) when (reused is not null && attempt == 0)
            {
                connection.Dispose();
                reused = null;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>Sends the response head and body to the client, applying a body fault. False when the client connection was cut.</summary>
    private async Task<bool> RelayResponseAsync(Socket client, Stream clientStream, HttpHead request, HttpHead response,
        UpstreamConnection upstream, FaultDraw fault, CancellationToken ct)
    {
        await clientStream.WriteAsync(response.ToBytes(), ct);
        bool noBody = request.Method == "HEAD" || response.Status is 204 or 304;
        if (noBody) return true;
        if (response.IsChunked)
        {
            // Forwarded as is, without faults: nothing in the tests' upstreams sends chunked bodies to GETs.
            var counting = new CountingStream(clientStream, n => Interlocked.Add(ref _bodyBytesSent, n));
            await upstream.Reader.CopyChunkedAsync(counting, ct);
            return true;
        }

        long? declared = response.ContentLength;
        long length = declared ?? long.MaxValue; // no length: the body runs to the end of the upstream connection
        long cutAt = -1, stallAt = -1;
        if (declared is > 0)
        {
            if (fault.Reset || fault.Truncate) cutAt = (long)(fault.CutFraction * declared.Value);
            if (fault.Slow) stallAt = (long)(fault.StallFraction * declared.Value);
        }
        if (cutAt >= 0 || stallAt >= 0) Interlocked.Increment(ref _faults);

        var buffer = new byte[16 * 1024];
        long sent = 0;
        while (sent < length)
        {
            long limit = length - sent;
            if (cutAt >= 0) limit = Math.Min(limit, cutAt - sent);
            if (stallAt >= sent) limit = Math.Min(limit, stallAt - sent);
            if (limit == 0)
            {
                if (sent == stallAt)
                {
                    await clientStream.FlushAsync(ct);
                    await Task.Delay(fault.SlowDelay, ct);
                    stallAt = -1;
                    continue;
                }
                // sent == cutAt: end the connection mid-body.
                if (fault.Reset) client.LingerState = new LingerOption(true, 0);
                else client.Shutdown(SocketShutdown.Send);
                client.Close();
                return false;
            }
            int n = await upstream.Reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit)), ct);
            if (n == 0)
            {
                if (declared is null) return false; // read-to-close body: close the client too
                throw new IOException("upstream ended inside a body");
            }
            // Counted before the write: once written, the client may read them and a test look at the count before
            // this line would run.
            Interlocked.Add(ref _bodyBytesSent, n);
            await clientStream.WriteAsync(buffer.AsMemory(0, n), ct);
            sent += n;
        }
        return true;
    }

    private static string StatusVersion(HttpHead response) => response.StartLine.Split(' ', 2)[0];

    private static async Task SendErrorAsync(Stream stream, int status, bool keepAlive, bool head, int? retryAfterSeconds, CancellationToken ct)
    {
        var (code, message, reason) = status switch
        {
            503 => ("SlowDown", "Please reduce your request rate.", "Slow Down"),
            500 => ("InternalError", "We encountered an internal error. Please try again.", "Internal Server Error"),
            403 => ("AccessDenied", "Access Denied", "Forbidden"),
            404 => ("NoSuchKey", "The specified key does not exist.", "Not Found"),
            _ => ("InjectedFault", "Fault injected by the test proxy.", "Error"),
        };
        byte[] body = status == 503
            ? Encoding.UTF8.GetBytes(SlowDownBody)
            : Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/xml"),
            new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
            new("Date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture)),
        };
        if (retryAfterSeconds is int seconds) fields.Add(new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
        if (!keepAlive) fields.Add(new("Connection", "close"));
        await stream.WriteAsync(new HttpHead($"HTTP/1.1 {status} {reason}", fields).ToBytes(), ct);
        if (!head) await stream.WriteAsync(body, ct);
    }
}
