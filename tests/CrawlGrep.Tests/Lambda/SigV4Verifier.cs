using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Checks AWS Signature Version 4 (AWS4-HMAC-SHA256, Authorization header) the way a service does: from the request
/// as received it rebuilds the canonical request (method, normalised and re-encoded path, sorted query, the headers
/// that SignedHeaders names, SHA-256 of the body), the string to sign and the HMAC chain from the secret it holds
/// for the access key, and compares. Written apart from any signer so that a signer's mistake is not shared by its
/// check; agreed with AWS's published test suite. Request text is Latin-1: one char per byte received.
/// </summary>
internal sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private readonly string _region;
    private readonly string _service;
    private readonly Dictionary<string, AwsKeys> _keys;
    private readonly TimeSpan _allowedSkew;

    public SigV4Verifier(string region, string service, IEnumerable<AwsKeys> keys, TimeSpan allowedSkew)
    {
        _region = region;
        _service = service;
        _keys = keys.ToDictionary(k => k.AccessKeyId, StringComparer.Ordinal);
        _allowedSkew = allowedSkew;
    }

    public SignatureCheck Verify(HttpHead request, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        string? authorization = request.Get("Authorization");
        if (string.IsNullOrWhiteSpace(authorization))
            return SignatureCheck.Fail("MissingAuthenticationTokenException", "Missing Authentication Token");
        if (ParseAuthorization(authorization) is not { } auth)
            return SignatureCheck.Fail("IncompleteSignatureException", $"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of {Algorithm}. Authorization={authorization}");

        string[] scope = auth.Credential.Split('/');
        if (scope.Length != 5)
            return SignatureCheck.Fail("IncompleteSignatureException", $"Credential should have 5 parts ('KEY/DATE/REGION/SERVICE/aws4_request'), not {scope.Length}.");
        if (!_keys.TryGetValue(scope[0], out var keys))
            return SignatureCheck.Fail("UnrecognizedClientException", LambdaErrors.InvalidTokenMessage);
        if (!string.Equals(request.Get("X-Amz-Security-Token"), keys.SessionToken, StringComparison.Ordinal))
            return SignatureCheck.Fail("UnrecognizedClientException", LambdaErrors.InvalidTokenMessage);

        string? amzDate = request.Get("X-Amz-Date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            return SignatureCheck.Fail("IncompleteSignatureException", "Authorization header requires existence of a valid 'X-Amz-Date' header.");
        string stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (signedAt < now - _allowedSkew)
            return SignatureCheck.Fail("InvalidSignatureException", $"Signature expired: {amzDate} is now earlier than {(now - _allowedSkew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({stamp} - {_allowedSkew.TotalMinutes:0} min.)");
        if (signedAt > now + _allowedSkew)
            return SignatureCheck.Fail("InvalidSignatureException", $"Signature not yet current: {amzDate} is still later than {(now + _allowedSkew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({stamp} + {_allowedSkew.TotalMinutes:0} min.)");
        if (scope[1] != amzDate[..8])
            return SignatureCheck.Fail("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}', from '{amzDate}'.");
        if (scope[2] != _region)
            return SignatureCheck.Fail("InvalidSignatureException", $"Credential should be scoped to a valid region, not '{scope[2]}'.");
        if (scope[3] != _service)
            return SignatureCheck.Fail("InvalidSignatureException", $"Credential should be scoped to correct service: '{_service}'.");
        if (scope[4] != "aws4_request")
            return SignatureCheck.Fail("InvalidSignatureException", $"Credential should be scoped with a valid terminator: 'aws4_request', not '{scope[4]}'.");
        if (!auth.SignedHeaders.Contains("host"))
            return SignatureCheck.Fail("IncompleteSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");

        string canonical = CanonicalRequest(request, auth.SignedHeaders, Hex(SHA256.HashData(body)));
        string expected = Signature(keys.SecretAccessKey, amzDate, string.Join('/', scope[1..]), canonical);
        bool same = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(auth.Signature));
        return same ? SignatureCheck.Valid(keys.AccessKeyId) : SignatureCheck.Fail("InvalidSignatureException", LambdaErrors.InvalidSignatureMessage);
    }

    /// <summary>Task 1 of SigV4: the canonical request of what was received.</summary>
    public static string CanonicalRequest(HttpHead request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        string target = request.Target;
        int q = target.IndexOf('?');
        string path = q < 0 ? target : target[..q];
        string query = q < 0 ? "" : target[(q + 1)..];

        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(CanonicalPath(path)).Append('\n');
        sb.Append(CanonicalQuery(query)).Append('\n');
        foreach (string name in signedHeaders)
        {
            var values = request.Fields.Where(f => string.Equals(f.Key.Trim(), name, StringComparison.OrdinalIgnoreCase)).Select(f => CollapseSpaces(f.Value));
            sb.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }
        sb.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    /// <summary>Tasks 2 to 4: string to sign, signing key and signature (lowercase hex).</summary>
    public static string Signature(string secret, string amzDate, string credentialScope, string canonicalRequest)
    {
        string stringToSign = $"{Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.Latin1.GetBytes(canonicalRequest)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (string part in credentialScope.Split('/')) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>
    /// Path of a service other than S3: dot segments and empty segments removed, then every byte but the unreserved
    /// ones percent-encoded, including the '%' of escapes already on the wire (AWS SDKs encode the path twice).
    /// </summary>
    public static string CanonicalPath(string path)
    {
        var segments = new List<string>();
        foreach (string segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); continue; }
            segments.Add(segment);
        }
        string last = path.Split('/')[^1];
        bool trailingSlash = segments.Count > 0 && (last is "" or "." or "..");
        return "/" + string.Join('/', segments.Select(Encode)) + (trailingSlash ? "/" : "");
    }

    /// <summary>Query parameters decoded, encoded again the SigV4 way, sorted by name then value.</summary>
    public static string CanonicalQuery(string query)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (string part in query.Split('&'))
        {
            if (part.Length == 0) continue;
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq], value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(Decode(key)), Encode(Decode(value))));
        }
        pairs.Sort((a, b) => { int c = string.CompareOrdinal(a.Key, b.Key); return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value); });
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding of each byte (char) but A-Z a-z 0-9 - . _ ~, uppercase hex.</summary>
    public static string Encode(string latin1)
    {
        var sb = new StringBuilder(latin1.Length);
        foreach (char c in latin1)
        {
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~') sb.Append(c);
            else sb.Append('%').Append(((int)c & 0xFF).ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Percent-decoding to bytes (chars); '+' is a plus, not a space, and a bad escape stays as it is.</summary>
    public static string Decode(string latin1)
    {
        var sb = new StringBuilder(latin1.Length);
        for (int i = 0; i < latin1.Length; i++)
        {
            if (latin1[i] == '%' && i + 2 < latin1.Length &&
                int.TryParse(latin1.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int b))
            {
                sb.Append((char)b);
                i += 2;
            }
            else sb.Append(latin1[i]);
        }
        return sb.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static string CollapseSpaces(string value)
    {
        var sb = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value.Trim())
        {
            if (c is ' ' or '\t') { space = true; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private sealed record Authorization(string Credential, IReadOnlyList<string> SignedHeaders, string Signature);

    private static Authorization? ParseAuthorization(string value)
    {
        value = value.Trim();
        if (!value.StartsWith(Algorithm + " ", StringComparison.Ordinal)) return null;
        string? credential = null, signedHeaders = null, signature = null;
        foreach (string part in value[Algorithm.Length..].Split(','))
        {
            string p = part.Trim();
            int eq = p.IndexOf('=');
            if (eq <= 0) return null;
            string v = p[(eq + 1)..];
            switch (p[..eq])
            {
                case "Credential": credential = v; break;
                case "SignedHeaders": signedHeaders = v; break;
                case "Signature": signature = v; break;
            }
        }
        if (credential is null || signedHeaders is null || signature is null) return null;
        return new Authorization(credential, signedHeaders.Split(';'), signature);
    }
}
