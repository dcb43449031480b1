using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using CrawlGrep.Core.Aws;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// A thin client of Lambda's API, signed with SigV4: Invoke (POST /2015-03-31/functions/{name}/invocations),
/// synchronous (RequestResponse) with the log tail or asynchronous (Event); GetFunction and GetAccountSettings, which
/// size and price a scan. One pooled HttpClient serves thousands of invocations at once. It does not retry: the
/// executor above it decides, from what <see cref="LambdaException"/> carries.
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
        var call = new Call("Invoke", name.Display, region, InvokeUri(_options.EndpointFor(region), name, qualifier), HttpMethod.Post, payload,
            [new("X-Amz-Invocation-Type", "RequestResponse"), new("X-Amz-Log-Type", "Tail")]);
        var (response, body) = await SendAsync(call, status => status is >= 200 and < 300, ct).ConfigureAwait(false);
        using (response)
        {
            string? logTail = DecodeLog(Header(response, "X-Amz-Log-Result"));
            return new LambdaInvokeResult((int)response.StatusCode, body, Header(response, "X-Amz-Function-Error"), logTail,
                Header(response, "X-Amz-Executed-Version"), Header(response, "x-amzn-RequestId"), LambdaReport.Parse(logTail));
        }
    }

    /// <summary>
    /// Invokes a function asynchronously (Event): Lambda queues the event, answers 202 at once and runs it later,
    /// retrying it twice on a function error. Returns the request id the 202 carries (the one the function's runs
    /// see); throws <see cref="LambdaException"/> on any other answer or none, a payload over
    /// <see cref="LambdaLimits.MaxEventPayload"/> included.
    /// </summary>
    public async Task<string?> InvokeEventAsync(string function, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var name = LambdaFunctionName.Parse(function);
        string region = _options.RegionFor(name);
        var call = new Call("Invoke", name.Display, region, InvokeUri(_options.EndpointFor(region), name), HttpMethod.Post, payload,
            [new("X-Amz-Invocation-Type", "Event")]);
        var (response, _) = await SendAsync(call, status => status == 202, ct).ConfigureAwait(false);
        using (response) return Header(response, "x-amzn-RequestId");
    }

    /// <summary>
    /// GetFunction: the function's ARN, memory, timeout, architecture and reserved concurrency. Throws
    /// <see cref="LambdaException"/> as Invoke does (404 for a function that does not exist), and
    /// <see cref="InvalidDataException"/> for an answer without a configuration.
    /// </summary>
    public async Task<LambdaFunctionInfo> GetFunctionAsync(string function, CancellationToken ct)
    {
        var name = LambdaFunctionName.Parse(function);
        string region = _options.RegionFor(name);
        var call = new Call("GetFunction", name.Display, region, FunctionUri(_options.EndpointFor(region), name), HttpMethod.Get, null, []);
        var (response, body) = await SendAsync(call, status => status == 200, ct).ConfigureAwait(false);
        response.Dispose();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var configuration = doc.RootElement.GetProperty("Configuration");
            string arn = configuration.GetProperty("FunctionArn").GetString() ?? throw new InvalidDataException("no FunctionArn");
            string architecture = configuration.TryGetProperty("Architectures", out var architectures)
                                  && architectures.ValueKind == JsonValueKind.Array && architectures.GetArrayLength() > 0
                ? architectures[0].GetString() ?? "x86_64"
                : "x86_64"; // the API's default when a function predates the field
            int? reserved = doc.RootElement.TryGetProperty("Concurrency", out var concurrency)
                            && concurrency.TryGetProperty("ReservedConcurrentExecutions", out var n) && n.ValueKind == JsonValueKind.Number
                ? n.GetInt32()
                : null;
            return new LambdaFunctionInfo(arn, configuration.GetProperty("MemorySize").GetInt32(), configuration.GetProperty("Timeout").GetInt32(),
                architecture, reserved);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"GetFunction of {name.Display} answered without a usable configuration: {e.Message}", e);
        }
    }

    /// <summary>
    /// GetAccountSettings: the account's concurrency limit in a region (null: the options' or the environment's
    /// region) and what of it is unreserved. Throws <see cref="LambdaException"/> as Invoke does, and
    /// <see cref="InvalidDataException"/> for an answer without the limits.
    /// </summary>
    public async Task<LambdaAccountLimits> GetAccountSettingsAsync(string? region, CancellationToken ct)
    {
        string signedFor = _options.AccountRegion(region);
        var call = new Call("GetAccountSettings", "", signedFor, AccountSettingsUri(_options.EndpointFor(signedFor)), HttpMethod.Get, null, []);
        var (response, body) = await SendAsync(call, status => status == 200, ct).ConfigureAwait(false);
        response.Dispose();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var limit = doc.RootElement.GetProperty("AccountLimit");
            return new LambdaAccountLimits(limit.GetProperty("ConcurrentExecutions").GetInt32(), limit.GetProperty("UnreservedConcurrentExecutions").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"GetAccountSettings in {signedFor} answered without the account's limits: {e.Message}", e);
        }
    }

    /// <summary>One call of the API: what it is and what it is about (for messages), and the request to sign and send.</summary>
    private sealed record Call(string Operation, string Function, string Region, Uri Uri, HttpMethod Method, ReadOnlyMemory<byte>? Payload,
        KeyValuePair<string, string>[] Headers);

    /// <summary>
    /// Signs and sends a call and reads its whole answer. Returns the response (the caller disposes it) and its body
    /// when its status is one the call expects; throws <see cref="LambdaException"/> for any other status or none.
    /// </summary>
    private async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(Call call, Func<int, bool> expected, CancellationToken ct)
    {
        var credentials = await AwsCredentialChain.ResolveAsync(_credentials.Value, ct).ConfigureAwait(false);
        using var request = new HttpRequestMessage(call.Method, call.Uri);
        if (call.Payload is { } payload)
        {
            request.Content = new ReadOnlyMemoryContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        foreach (var (header, value) in call.Headers) request.Headers.TryAddWithoutValidation(header, value);
        await new SigV4Signer(call.Region, "lambda").SignAsync(request, credentials, DateTimeOffset.UtcNow, ct: ct).ConfigureAwait(false);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or SocketException or TaskCanceledException)
        {
            // TaskCanceledException without our token cancelled is HttpClient's own timeout.
            Exception cause = e is TaskCanceledException ? new TimeoutException($"no answer within {_options.Timeout}", e) : e;
            throw NoAnswer(call, cause);
        }

        try
        {
            byte[] body;
            try { body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException)
            {
                throw NoAnswer(call, e);
            }
            if (!expected((int)response.StatusCode)) throw Failure(response, body, call, credentials);
            return (response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>endpoint + /2015-03-31/functions/{escaped name}/invocations[?Qualifier=...].</summary>
    public static Uri InvokeUri(Uri endpoint, LambdaFunctionName function, string? qualifier = null)
    {
        string query = string.IsNullOrEmpty(qualifier) ? "" : "?Qualifier=" + Uri.EscapeDataString(qualifier);
        return new Uri(endpoint, $"{BasePath(endpoint)}/2015-03-31/functions/{function.PathSegment}/invocations{query}");
    }

    /// <summary>endpoint + /2015-03-31/functions/{escaped name}: GetFunction.</summary>
    public static Uri FunctionUri(Uri endpoint, LambdaFunctionName function) =>
        new(endpoint, $"{BasePath(endpoint)}/2015-03-31/functions/{function.PathSegment}");

    /// <summary>endpoint + /2016-08-19/account-settings/: GetAccountSettings.</summary>
    public static Uri AccountSettingsUri(Uri endpoint) => new(endpoint, $"{BasePath(endpoint)}/2016-08-19/account-settings/");

    /// <summary>The endpoint's own path, kept in front of the API's (a proxy may serve Lambda under one).</summary>
    private static string BasePath(Uri endpoint) => endpoint.AbsolutePath.TrimEnd('/');

    private static LambdaException NoAnswer(Call call, Exception cause) =>
        new(0, null, null, null, null, null, call.Function, call.Region, call.Uri.Host, cause, call.Operation);

    private static LambdaException Failure(HttpResponseMessage response, byte[] body, Call call, ImmutableCredentials credentials)
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
            retryAfter, Header(response, "x-amzn-RequestId"), call.Function, call.Region, call.Uri.Host, operation: call.Operation);
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
