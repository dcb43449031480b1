using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace CrawlGrep.Core.Aws;

/// <summary>
/// AWS Signature Version 4 (AWS4-HMAC-SHA256) for one region and service, checked against AWS's published test
/// suite. Signs a neutral <see cref="SigV4Request"/> (every intermediate product returned) or an
/// <see cref="HttpRequestMessage"/> in place.
/// </summary>
public sealed class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <param name="region">The region of the credential scope, e.g. us-east-1.</param>
    /// <param name="service">The signing name of the service, e.g. lambda; s3 keeps its paths as sent.</param>
    /// <param name="signSessionToken">
    /// Whether X-Amz-Security-Token is part of what is signed (most services) or added after the signature (the few
    /// that want it so).
    /// </param>
    public SigV4Signer(string region, string service, bool signSessionToken = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Region = region;
        Service = service;
        SignSessionToken = signSessionToken;
    }

    public string Region { get; }
    public string Service { get; }
    public bool SignSessionToken { get; }

    /// <summary>S3 alone neither normalises nor double-encodes its paths.</summary>
    private bool NormalizePath => !string.Equals(Service, "s3", StringComparison.Ordinal);

    /// <summary>
    /// Signs a request at the given time. Headers the request lacks and must carry are returned in
    /// <see cref="SigV4Signature.AddedHeaders"/>: X-Amz-Date and, for temporary credentials, X-Amz-Security-Token.
    /// </summary>
    public SigV4Signature Sign(SigV4Request request, ImmutableCredentials credentials, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        string amzDate = AmzDate(time);
        var headers = new List<KeyValuePair<string, string>>(request.Headers);
        var added = new List<KeyValuePair<string, string>>();
        if (!request.HasHeader("X-Amz-Date"))
        {
            headers.Add(new("X-Amz-Date", amzDate));
            added.Add(new("X-Amz-Date", amzDate));
        }
        KeyValuePair<string, string>? tokenAfter = null;
        if (credentials.UseToken && !request.HasHeader("X-Amz-Security-Token"))
        {
            var token = new KeyValuePair<string, string>("X-Amz-Security-Token", credentials.Token);
            if (SignSessionToken) { headers.Add(token); added.Add(token); }
            else tokenAfter = token;
        }

        string canonicalRequest = CanonicalRequest(request with { Headers = headers }, out string signedHeaders);
        string scope = CredentialScope(time);
        string stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{SigV4Request.HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        string signature = SignatureOf(stringToSign, credentials.SecretKey, time);
        string authorization = $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        if (tokenAfter is { } t) added.Add(t);
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization, added);
    }

    /// <summary>Task 1: method, canonical URI, canonical query, canonical headers, signed headers, payload hash.</summary>
    public string CanonicalRequest(SigV4Request request, out string signedHeaders)
    {
        var (block, signed) = SigV4Canonical.Headers(request.Headers);
        signedHeaders = signed;
        return string.Join('\n',
            request.Method.ToUpperInvariant(),
            SigV4Canonical.Path(request.Path, NormalizePath),
            SigV4Canonical.Query(request.Query),
            block,
            signed,
            request.PayloadHash);
    }

    /// <summary>date/region/service/aws4_request.</summary>
    public string CredentialScope(DateTimeOffset time) =>
        $"{time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{Region}/{Service}/aws4_request";

    /// <summary>Tasks 3: the hex HMAC of a string to sign under the key derived for this scope's day.</summary>
    public string SignatureOf(string stringToSign, string secretKey, DateTimeOffset time) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey(secretKey, time), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>HMAC chain "AWS4"+secret → date → region → service → "aws4_request".</summary>
    private byte[] SigningKey(string secretKey, DateTimeOffset time)
    {
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (string step in new[] { time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), Region, Service, "aws4_request" })
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        return key;
    }

    /// <summary>The ISO 8601 basic form SigV4 uses: 20150830T123600Z.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Signs an HTTP request in place: sets Host when absent, X-Amz-Date, X-Amz-Security-Token for temporary
    /// credentials, X-Amz-Content-Sha256 when asked, and Authorization. Signs host, content-type and every other
    /// header present except those a client or proxy may add or rewrite on the way (user-agent, content-length,
    /// expect, connection and kin). The body is read (buffered) to hash it.
    /// </summary>
    public async Task<SigV4Signature> SignAsync(HttpRequestMessage request, ImmutableCredentials credentials,
        DateTimeOffset time, bool addContentSha256 = false, CancellationToken ct = default)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        if (!uri.IsAbsoluteUri) throw new ArgumentException("the request URI is not absolute", nameof(request));
        foreach (string name in (string[])["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"])
            request.Headers.Remove(name);

        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        string payloadHash = SigV4Request.HashHex(body);
        // Set explicitly so the Host sent is the one signed.
        request.Headers.Host ??= uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        if (addContentSha256) request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", payloadHash);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers.NonValidated)
            if (!Unsigned.Contains(name)) headers.Add(new(name, values.ToString()));
        if (request.Content is not null)
            foreach (var (name, values) in request.Content.Headers.NonValidated)
                if (!Unsigned.Contains(name)) headers.Add(new(name, values.ToString()));

        // PathAndQuery is what HttpClient puts on the request line, so the signature covers the bytes sent.
        string pathAndQuery = uri.PathAndQuery;
        int q = pathAndQuery.IndexOf('?');
        var neutral = new SigV4Request(request.Method.Method,
            q < 0 ? pathAndQuery : pathAndQuery[..q], q < 0 ? "" : pathAndQuery[(q + 1)..], headers, payloadHash);

        var signature = Sign(neutral, credentials, time);
        foreach (var (name, value) in signature.AddedHeaders) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        return signature;
    }

    /// <summary>Headers left out of the signature: hop-by-hop ones, and those the HTTP stack fills in or rewrites.</summary>
    private static readonly HashSet<string> Unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "User-Agent", "Content-Length", "Expect", "Connection", "Keep-Alive", "Transfer-Encoding",
        "TE", "Upgrade", "Proxy-Authorization", "Proxy-Connection", "X-Amzn-Trace-Id",
    };
}
