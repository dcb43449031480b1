using System.Security.Cryptography;

namespace CrawlGrep.Core.Aws;

/// <summary>
/// A request as SigV4 sees it, apart from any HTTP stack: method, the path and query exactly as they go on the wire
/// (query without its '?'), the header fields in order (a name may repeat), and the hex SHA-256 of the body.
/// </summary>
public sealed record SigV4Request(
    string Method,
    string Path,
    string Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash)
{
    /// <summary>The hex SHA-256 of an empty body, the hash of every GET.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>A request whose body is given as bytes; its hash is computed here.</summary>
    public static SigV4Request WithBody(string method, string path, string query,
        IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body) =>
        new(method, path, query, headers, HashHex(body));

    /// <summary>Lowercase hex SHA-256, the form SigV4 uses for payloads and canonical requests.</summary>
    public static string HashHex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Whether a header of this name is present (names compare without case).</summary>
    public bool HasHeader(string name) => Headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
}
