using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using CrawlGrep.Core.Aws;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// Lambda's Invoke endpoint as far as a client sees it, on 127.0.0.1: checks each request's SigV4 signature the way
/// the service does (recomputed from the request as received, with the secret it knows) and answers a bad one with
/// the service's 403; answers a good one with what the test's responder says.
/// </summary>
internal sealed class LambdaApiStub : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly Func<InvokeRequest, StubResponse> _respond;
    private readonly string _secretKey;

    public LambdaApiStub(string secretKey, Func<InvokeRequest, StubResponse> respond)
    {
        _secretKey = secretKey;
        _respond = respond;
        _listener = new LoopbackListener(ServeAsync);
    }

    public Uri Endpoint => new($"http://127.0.0.1:{_listener.Port}/");

    /// <summary>Every request received, in order, with whether its signature held.</summary>
    public ConcurrentQueue<InvokeRequest> Received { get; } = new();

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpReader(stream);
        while (await reader.ReadHeadAsync(ct) is { } head)
        {
            byte[] body = await reader.ReadExactlyAsync(head.ContentLength ?? 0, ct);
            var request = new InvokeRequest(head, body, SignatureHolds(head, body));
            Received.Enqueue(request);
            var response = request.SignatureValid ? _respond(request) : InvalidSignature(request);
            if (response.Delay > TimeSpan.Zero) await Task.Delay(response.Delay, ct);
            var fields = new List<KeyValuePair<string, string>>(response.Headers)
            {
                new("Content-Type", "application/json"),
                new("Content-Length", response.Body.Length.ToString(CultureInfo.InvariantCulture)),
            };
            await stream.WriteAsync(new HttpHead($"HTTP/1.1 {response.Status} {response.Reason}", fields).ToBytes(), ct);
            await stream.WriteAsync(response.Body, ct);
        }
    }

    /// <summary>Recomputes the signature over the headers the Authorization value says were signed.</summary>
    private bool SignatureHolds(HttpHead head, byte[] body)
    {
        string? authorization = head.Get("Authorization");
        string? amzDate = head.Get("X-Amz-Date");
        if (authorization is null || amzDate is null) return false;
        string credential = Part(authorization, "Credential=");
        string[] scope = credential.Split('/');
        if (scope.Length != 5) return false;
        var signedNames = Part(authorization, "SignedHeaders=").Split(';');
        var headers = head.Fields.Where(f => signedNames.Contains(f.Key.ToLowerInvariant())).ToList();
        if (headers.Select(h => h.Key.ToLowerInvariant()).Distinct().Count() != signedNames.Length) return false;

        string target = head.Target;
        int q = target.IndexOf('?');
        var request = SigV4Request.WithBody(head.Method, q < 0 ? target : target[..q], q < 0 ? "" : target[(q + 1)..], headers, body);
        var time = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expected = new SigV4Signer(scope[2], scope[3]).Sign(request, new ImmutableCredentials(scope[0], _secretKey, null), time);
        return expected.Authorization == authorization;
    }

    private static string Part(string authorization, string label)
    {
        int at = authorization.IndexOf(label, StringComparison.Ordinal);
        if (at < 0) return "";
        int end = authorization.IndexOf(',', at);
        return authorization[(at + label.Length)..(end < 0 ? authorization.Length : end)];
    }

    /// <summary>The service's answer to a bad signature: it quotes the canonical request, session token and all.</summary>
    private static StubResponse InvalidSignature(InvokeRequest request) =>
        StubResponse.Error(403, "Forbidden", "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
            "Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n" +
            request.Head.Target + "\n\nx-amz-security-token:" + request.Head.Get("X-Amz-Security-Token") + "\n'\n");

    public void Dispose() => _listener.Dispose();
}

/// <summary>One request as the stub received it.</summary>
internal sealed record InvokeRequest(HttpHead Head, byte[] Body, bool SignatureValid);

/// <summary>A canned answer, shaped as Lambda shapes its answers.</summary>
internal sealed record StubResponse(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public TimeSpan Delay { get; init; }

    public static StubResponse Ok(byte[] payload, params KeyValuePair<string, string>[] headers) =>
        new(200, "OK", [new("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555"), .. headers], payload);

    /// <summary>An error as Lambda sends it: the type in x-amzn-ErrorType, a JSON body with Type and message.</summary>
    public static StubResponse Error(int status, string reason, string errorType, string message,
        string? throttleReason = null, params KeyValuePair<string, string>[] headers)
    {
        string json = "{\"Type\":\"User\",\"message\":" + System.Text.Json.JsonSerializer.Serialize(message)
                      + (throttleReason is null ? "" : ",\"Reason\":\"" + throttleReason + "\"") + "}";
        return new(status, reason,
            [new("x-amzn-RequestId", "99999999-2222-3333-4444-555555555555"), new("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazonaws.awsgirapi/"), .. headers],
            Encoding.UTF8.GetBytes(json));
    }
}
