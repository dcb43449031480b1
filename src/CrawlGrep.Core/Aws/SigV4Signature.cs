namespace CrawlGrep.Core.Aws;

/// <summary>
/// What signing one request produced, step by step as the SigV4 specification names the steps, so each can be
/// compared with a reference: the canonical request, the string to sign, and the Authorization value. Holds no
/// secret: the signature is an HMAC, and the access key id is public by design.
/// </summary>
public sealed record SigV4Signature(
    string CanonicalRequest,
    string StringToSign,
    string SignedHeaders,
    string Signature,
    string Authorization,
    IReadOnlyList<KeyValuePair<string, string>> AddedHeaders)
{
    /// <summary>Leaves the signature out: a printed signature lets anyone replay the request for minutes.</summary>
    public override string ToString() => $"SigV4Signature {{ SignedHeaders = {SignedHeaders} }}";
}
