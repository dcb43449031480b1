using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A minimal SigV4 signer for the emulator's tests (header signing, every header the request carries but
/// Content-Length). Deliberately small, so that the production signer can take its place; it shares no code with
/// <see cref="SigV4Verifier"/>, so a mistake in one is not hidden by the other.
/// </summary>
internal static class TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, AwsKeys keys, string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("request has no URI", nameof(request));
        string amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (keys.SessionToken is { } token) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(HttpHeaders from)
        {
            foreach (var (name, values) in from)
            {
                string lower = name.ToLowerInvariant();
                if (lower is "content-length" or "authorization") continue;
                headers[lower] = string.Join(',', values.Select(v => v.Trim()));
            }
        }
        Add(request.Headers);
        if (request.Content is not null) Add(request.Content.Headers);

        // The path as it goes on the wire is encoded once; SigV4 for services other than S3 encodes it again.
        string path = string.Join('/', uri.AbsolutePath.Split('/').Select(Uri.EscapeDataString));
        string query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => (K: Uri.EscapeDataString(Uri.UnescapeDataString(kv[0])), V: Uri.EscapeDataString(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : ""))))
            .OrderBy(kv => kv.K, StringComparer.Ordinal).ThenBy(kv => kv.V, StringComparer.Ordinal)
            .Select(kv => $"{kv.K}={kv.V}"));
        string signedHeaders = string.Join(';', headers.Keys);
        string canonical = $"{request.Method.Method}\n{path}\n{query}\n" +
                           string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")) +
                           $"\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
        string scope = $"{date}/{region}/{service}/aws4_request";
        string toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + keys.SecretAccessKey);
        foreach (string part in new[] { date, region, service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={keys.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }
}
