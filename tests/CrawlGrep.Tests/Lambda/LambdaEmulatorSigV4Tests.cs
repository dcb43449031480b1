using System.Text;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

/// <summary>The emulator's signature check agrees with AWS's published SigV4 test suite, and rejects what it must.</summary>
public sealed class LambdaEmulatorSigV4Tests(ITestOutputHelper output)
{
    /// <summary>
    /// Cases of the suite whose request the verifier can take as received. Left out: get-space (a space cannot be
    /// in a request line on the wire) and the two x-www-form-urlencoded cases (their files disagree, see SOURCES.md).
    /// </summary>
    public static TheoryData<string> Cases => new()
    {
        "get-vanilla", "post-vanilla", "get-vanilla-query", "get-vanilla-query-order-key", "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value", "get-vanilla-query-order-encoded", "get-vanilla-query-unreserved", "get-vanilla-empty-query-key",
        "get-vanilla-utf8-query", "get-utf8", "get-unreserved", "get-header-key-duplicate", "get-header-value-order",
        "get-header-value-trim", "get-header-value-multiline", "post-header-key-case", "post-header-key-sort", "post-header-value-case",
        "post-vanilla-query", "post-vanilla-empty-query-value", "get-vanilla-with-session-token",
        "normalize-path/get-relative", "normalize-path/get-relative-relative", "normalize-path/get-slash", "normalize-path/get-slash-dot-slash",
        "normalize-path/get-slash-pointless-dot", "normalize-path/get-slashes",
        "post-sts-token/post-sts-header-before", "post-sts-token/post-sts-header-after",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SignedRequestOfTheSuite_IsValid_AndOneChangedSignatureByteIsNot(string casePath)
    {
        if (SigV4TestSuite.Require(output) is not { } root) return;
        var (head, body) = SigV4TestSuite.ParseRequest(File.ReadAllBytes(SigV4TestSuite.FileOf(root, casePath, "sreq")));
        string authorization = File.ReadAllText(SigV4TestSuite.FileOf(root, casePath, "authz"));
        int at = head.Fields.FindIndex(f => f.Key == "Authorization");
        if (casePath == "get-vanilla-with-session-token")
        {
            // This case's .sreq carries get-vanilla's signature; its .sts and .authz are right, so take the .authz.
            head.Fields[at] = new("Authorization", authorization);
        }
        Assert.Equal(authorization, head.Fields[at].Value);
        // Each token case names its own token (the readme's, or another for get-vanilla-with-session-token).
        var verifier = new SigV4Verifier(SigV4TestSuite.Region, SigV4TestSuite.Service,
            [SigV4TestSuite.Keys with { SessionToken = head.Get("X-Amz-Security-Token") }], TimeSpan.FromMinutes(15));

        // Task 1 as the suite writes it, then the whole check.
        string signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0];
        string expectedCanonical = File.ReadAllText(SigV4TestSuite.FileOf(root, casePath, "creq"), Encoding.Latin1);
        Assert.Equal(expectedCanonical, SigV4Verifier.CanonicalRequest(head, signedHeaders.Split(';'),
            SigV4Verifier.Hex(System.Security.Cryptography.SHA256.HashData(body))));
        var check = verifier.Verify(head, body, SigV4TestSuite.SignedAt);
        Assert.True(check.IsValid, check.ToString());

        // The same request with the last hex digit of its signature changed.
        string value = head.Fields[at].Value;
        char lastDigit = value[^1];
        head.Fields[at] = new("Authorization", value[..^1] + (lastDigit == '0' ? '1' : '0'));
        var tampered = verifier.Verify(head, body, SigV4TestSuite.SignedAt);
        Assert.False(tampered.IsValid);
        Assert.Equal("InvalidSignatureException", tampered.ErrorType);
        Assert.Equal(LambdaErrors.InvalidSignatureMessage, tampered.Message);
    }

    [Fact]
    public void SuiteRequest_WithAChangedBodyByte_OrAnotherSecret_OrTooLate_IsRejected()
    {
        if (SigV4TestSuite.Require(output) is not { } root) return;
        var (head, body) = SigV4TestSuite.ParseRequest(File.ReadAllBytes(SigV4TestSuite.FileOf(root, "post-vanilla", "sreq")));
        var verifier = VerifierFor(root, withToken: false);
        Assert.True(verifier.Verify(head, body, SigV4TestSuite.SignedAt).IsValid);

        Assert.Equal("InvalidSignatureException", verifier.Verify(head, "x"u8, SigV4TestSuite.SignedAt).ErrorType);

        var otherSecret = new SigV4Verifier(SigV4TestSuite.Region, SigV4TestSuite.Service,
            [SigV4TestSuite.Keys with { SecretAccessKey = SigV4TestSuite.Keys.SecretAccessKey + "x" }], TimeSpan.FromMinutes(15));
        Assert.Equal("InvalidSignatureException", otherSecret.Verify(head, body, SigV4TestSuite.SignedAt).ErrorType);

        var late = verifier.Verify(head, body, SigV4TestSuite.SignedAt.AddMinutes(16));
        Assert.Equal("InvalidSignatureException", late.ErrorType);
        Assert.StartsWith("Signature expired: 20150830T123600Z is now earlier than", late.Message);
        Assert.True(verifier.Verify(head, body, SigV4TestSuite.SignedAt.AddMinutes(14)).IsValid);

        var unknown = new SigV4Verifier(SigV4TestSuite.Region, SigV4TestSuite.Service, [new AwsKeys("AKIDOTHER", "x")], TimeSpan.FromMinutes(15));
        Assert.Equal("UnrecognizedClientException", unknown.Verify(head, body, SigV4TestSuite.SignedAt).ErrorType);

        var otherRegion = new SigV4Verifier("eu-west-1", SigV4TestSuite.Service, [SigV4TestSuite.Keys], TimeSpan.FromMinutes(15));
        Assert.Equal("InvalidSignatureException", otherRegion.Verify(head, body, SigV4TestSuite.SignedAt).ErrorType);
    }

    [Fact]
    public void SessionToken_IsRequiredWhenTheKeyHasOne()
    {
        if (SigV4TestSuite.Require(output) is not { } root) return;
        var (head, body) = SigV4TestSuite.ParseRequest(File.ReadAllBytes(SigV4TestSuite.FileOf(root, "post-sts-token/post-sts-header-after", "sreq")));
        Assert.True(VerifierFor(root, withToken: true).Verify(head, body, SigV4TestSuite.SignedAt).IsValid);

        head.Fields.RemoveAll(f => f.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase));
        var missing = VerifierFor(root, withToken: true).Verify(head, body, SigV4TestSuite.SignedAt);
        Assert.Equal("UnrecognizedClientException", missing.ErrorType);
        Assert.Equal("The security token included in the request is invalid.", missing.Message);
    }

    [Fact]
    public void TestSigner_IsAcceptedByTheVerifier_WithAnArnPathAndAQuery()
    {
        var keys = new AwsKeys("AKIDTEST", "test/secret", "token+/=");
        var now = DateTimeOffset.UtcNow;
        byte[] body = "{\"a\":1}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "http://127.0.0.1:9/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Acg/invocations?Qualifier=%24LATEST")
        { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("X-Amz-Log-Type", "Tail");
        TestSigner.Sign(request, body, keys, "us-east-1", "lambda", now);

        var fields = request.Headers.Concat(request.Content.Headers).Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value))).ToList();
        var head = new Remote.HttpHead($"POST {request.RequestUri!.PathAndQuery} HTTP/1.1", fields);
        var verifier = new SigV4Verifier("us-east-1", "lambda", [keys], TimeSpan.FromMinutes(15));
        Assert.True(verifier.Verify(head, body, now).IsValid);
        Assert.Equal("InvalidSignatureException", verifier.Verify(head, "{\"a\":2}"u8, now).ErrorType);
    }

    private static SigV4Verifier VerifierFor(string root, bool withToken) =>
        new(SigV4TestSuite.Region, SigV4TestSuite.Service,
            [withToken ? SigV4TestSuite.Keys with { SessionToken = SigV4TestSuite.SessionToken(root) } : SigV4TestSuite.Keys],
            TimeSpan.FromMinutes(15));
}
