using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using CrawlGrep.Core.Aws;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// A thin client of Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations), synchronous
/// (RequestResponse) with the log tail, signed with SigV4. One pooled HttpClient serves thousands of invocations at
/// once. It does not retry: the executor above it decides, from what <see cref="LambdaException"/> carries.
/// </summary>
public sealed class LambdaClient : IDisposable
{
    private readonly LambdaClientOptions _options;
    private readonly HttpClient _http;
    private readonly Lazy<AWSCredentials> _credentials;

    public LambdaClient(LambdaClientOptions? options = null)
    {
        _options = options ?? new LambdaClientOptions();
        // PublicationOnly: a failed lookup is not cached, so credentials that appear later are found.
        _credentials = new(() => _options.Credentials ?? AwsCredentialChain.Provider(), LazyThreadSafetyMode.PublicationOnly);
        _http = new HttpClient(CreateHandler(_options), disposeHandler: true) { Timeout = _options.Timeout };
    }

    public LambdaClientOptions Options => _options;

    /// <summary>Invokes a function (name, partial or full ARN) with a JSON payload and waits for its answer.</summary>
    public Task<LambdaInvokeResult> InvokeAsync(string function, ReadOnlyMemory<byte> payload, CancellationToken ct) =>
        InvokeAsync(function, qualifier: null, payload, ct);

    /// <summary>
    /// Invokes a version or alias of a function. Returns on any 2xx, a function's own error included
    /// (<see cref="LambdaInvokeResult.FunctionError"/>); throws <see cref="LambdaException"/> on any other answer or
    /// none, <see cref="AwsCredentialsNotFoundException"/> without credentials, OperationCanceledException when ct ends.
    /// </summary>
    public async Task<LambdaInvokeResult> InvokeAsync(string function, string? qualifier, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var name = LambdaFunctionName.Parse(function);
        string region = _options.RegionFor(name);
        Uri endpoint = _options.EndpointFor(region);
        var credentials = await AwsCredentialChain.ResolveAsync(_credentials.Value, ct).ConfigureAwait(false);

        using var request = new HttpRequestMessage(HttpMethod.Post, InvokeUri(endpoint, name, qualifier))
        {
            Content = new ReadOnlyMemoryContent(payload),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", "RequestResponse");
        request.Headers.TryAddWithoutValidation("X-Amz-Log-Type", "Tail");
        await new SigV4Signer(region, "lambda").SignAsync(request, credentials, DateTimeOffset.UtcNow, ct: ct).ConfigureAwait(false);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or SocketException or TaskCanceledException)
        {
            // TaskCanceledException without our token cancelled is HttpClient's own timeout.
            Exception cause = e is TaskCanceledException ? new TimeoutException($"no answer within {_options.Timeout}", e) : e;
            throw new LambdaException(0, null, null, null, null, null, name.Display, region, endpoint.Host, cause);
        }

        using (response)
        {
            byte[] body;
            try { body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException)
            {
                throw new LambdaException(0, null, null, null, null, null, name.Display, region, endpoint.Host, e);
            }
            string? requestId = Header(response, "x-amzn-RequestId");
            if (!response.IsSuccessStatusCode)
                throw Failure(response, body, requestId, name, region, endpoint, credentials);

            string? logTail = DecodeLog(Header(response, "X-Amz-Log-Result"));
            return new LambdaInvokeResult((int)response.StatusCode, body, Header(response, "X-Amz-Function-Error"), logTail,
                Header(response, "X-Amz-Executed-Version"), requestId, LambdaReport.Parse(logTail));
        }
    }

    /// <summary>endpoint + /2015-03-31/functions/{escaped name}/invocations[?Qualifier=...].</summary>
    public static Uri InvokeUri(Uri endpoint, LambdaFunctionName function, string? qualifier = null)
    {
        string basePath = endpoint.AbsolutePath.TrimEnd('/');
        string query = string.IsNullOrEmpty(qualifier) ? "" : "?Qualifier=" + Uri.EscapeDataString(qualifier);
        return new Uri(endpoint, $"{basePath}/2015-03-31/functions/{function.PathSegment}/invocations{query}");
    }

    private static LambdaException Failure(HttpResponseMessage response, byte[] body, string? requestId,
        LambdaFunctionName name, string region, Uri endpoint, ImmutableCredentials credentials)
    {
        string? type = null, message = null, reason = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                type = Text(doc.RootElement, "__type") ?? Text(doc.RootElement, "Type");
                message = Text(doc.RootElement, "message") ?? Text(doc.RootElement, "Message");
                reason = Text(doc.RootElement, "Reason");
            }
        }
        catch (JsonException)
        {
            // A proxy or load balancer answered with HTML or plain text: keep its start as the message.
            message = body.Length == 0 ? null : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
        }
        // The header names the type precisely; the body's Type is often only "User" or "Service".
        string? headerType = Header(response, "x-amzn-ErrorType");
        type = Strip(headerType, ':') ?? Strip(type, '#', fromEnd: true);

        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
        return new LambdaException((int)response.StatusCode, type, Clean(message, credentials), Clean(reason, credentials),
            retryAfter, requestId, name.Display, region, endpoint.Host);
    }

    /// <summary>
    /// A service text made safe to show: InvalidSignatureException explains itself with our canonical request, which
    /// holds the session token, so everything from there on is cut, and any key material left is masked.
    /// </summary>
    internal static string? Clean(string? text, ImmutableCredentials credentials)
    {
        if (string.IsNullOrEmpty(text)) return text;
        int cut = text.IndexOf("The Canonical String", StringComparison.OrdinalIgnoreCase);
        if (cut >= 0) text = text[..cut].TrimEnd();
        foreach (string? secret in new[] { credentials.SecretKey, credentials.Token })
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        return text;
    }

    private static string? Strip(string? value, char separator, bool fromEnd = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        int at = fromEnd ? value.LastIndexOf(separator) : value.IndexOf(separator);
        string kept = at < 0 ? value : fromEnd ? value[(at + 1)..] : value[..at];
        return kept.Trim() is { Length: > 0 } k ? k : null;
    }

    private static string? Text(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? DecodeLog(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return null;
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
        catch (FormatException) { return null; }
    }

    private static SocketsHttpHandler CreateHandler(LambdaClientOptions options) => new()
    {
        // Recycled every few minutes so DNS changes of the endpoint reach the pool.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = options.MaxConnectionsPerServer,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = ConnectWithKeepAliveAsync,
    };

    /// <summary>
    /// An invocation keeps its connection silent for up to 15 minutes; NAT gateways and firewalls drop idle flows
    /// sooner (350 s on AWS), so TCP keep-alive probes keep it open.
    /// </summary>
    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 15);
            await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
