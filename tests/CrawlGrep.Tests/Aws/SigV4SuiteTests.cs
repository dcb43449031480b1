using System.Text;
using Amazon.Runtime;
using CrawlGrep.Core.Aws;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// The signer against AWS's Signature Version 4 test suite: for every case, the canonical request, the string to
/// sign and the Authorization value equal the suite's files byte for byte.
/// </summary>
public sealed class SigV4SuiteTests(ITestOutputHelper output)
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset Time = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    /// <summary>
    /// Cases whose .creq does not hash to the .sts (SOURCES.md, quirk 3): the .creq is still what a correct signer
    /// writes for the .req, and the .authz signature is the HMAC of the .sts, so both halves are checked apart.
    /// </summary>
    private static readonly HashSet<string> InconsistentCases = new(StringComparer.Ordinal)
    {
        "post-x-www-form-urlencoded", "post-x-www-form-urlencoded-parameters",
    };

    public static IEnumerable<object[]> Cases() => SigV4SuiteData.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signer_reproduces_every_case_of_the_suite(string relativeCase)
    {
        if (SigV4SuiteData.Require(output) is not { } root) return;
        string name = relativeCase.Split('/')[^1];
        string Read(string ext) => File.ReadAllText(Path.Combine(root, relativeCase, $"{name}.{ext}"), Encoding.UTF8);
        byte[] req = File.ReadAllBytes(Path.Combine(root, relativeCase, $"{name}.req"));
        string creq = Read("creq"), sts = Read("sts"), authz = Read("authz");

        var request = SuiteRequest.Parse(req);
        // A token the .sreq carries and the .req does not is the signer's to add: signed when the .creq names it,
        // after the signature otherwise (post-sts-header-after).
        var signed = SuiteRequest.Parse(File.ReadAllBytes(Path.Combine(root, relativeCase, $"{name}.sreq")));
        string? token = SuiteRequest.Header(request, "X-Amz-Security-Token") is null
            ? SuiteRequest.Header(signed, "X-Amz-Security-Token")
            : null;
        var signer = new SigV4Signer("us-east-1", "service", signSessionToken: creq.Contains("\nx-amz-security-token:"));
        var result = signer.Sign(request, new ImmutableCredentials(AccessKey, SecretKey, token), Time);

        Assert.Equal(creq, result.CanonicalRequest);
        if (InconsistentCases.Contains(name))
        {
            string expectedSignature = authz[(authz.LastIndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];
            Assert.Equal(expectedSignature, signer.SignatureOf(sts, SecretKey, Time));
            return;
        }
        Assert.Equal(sts, result.StringToSign);
        Assert.Equal(authz, result.Authorization);
        if (token is not null)
            Assert.Contains(new KeyValuePair<string, string>("X-Amz-Security-Token", token), result.AddedHeaders);
    }

    [Fact]
    public void The_suite_is_all_there()
    {
        if (SigV4SuiteData.Require(output) is null) return;
        var cases = SigV4SuiteData.Cases().Select(r => (string)r[0]).ToList();
        Assert.Equal(33, cases.Count);
        Assert.Contains("normalize-path/get-slashes", cases);
        Assert.Contains("post-sts-token/post-sts-header-after", cases);
    }

    [Fact]
    public async Task Signed_message_carries_the_session_token_and_a_verifiable_signature()
    {
        var signer = new SigV4Signer("eu-west-1", "lambda");
        var credentials = new ImmutableCredentials("AKIDTEST", "secret-one", "token-abc");
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f/invocations")
        {
            Content = new ByteArrayContent("{\"a\":1}"u8.ToArray()),
        };
        message.Content.Headers.ContentType = new("application/json");

        var signature = await signer.SignAsync(message, credentials, Time, addContentSha256: true);

        Assert.Equal("token-abc", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Equal("20150830T123600Z", message.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(SigV4Request.HashHex("{\"a\":1}"u8), message.Headers.GetValues("X-Amz-Content-Sha256").Single());
        Assert.Equal("lambda.eu-west-1.amazonaws.com", message.Headers.Host);
        Assert.Equal("content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token", signature.SignedHeaders);
        string authorization = message.Headers.GetValues("Authorization").Single();
        Assert.Equal(signature.Authorization, authorization);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20150830/eu-west-1/lambda/aws4_request, ", authorization);
        Assert.DoesNotContain("secret-one", signature.CanonicalRequest + signature.StringToSign + authorization + signature);
    }

    [Fact]
    public async Task A_different_secret_gives_a_different_signature()
    {
        var signer = new SigV4Signer("us-east-1", "lambda");
        async Task<string> SignWith(string secret)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "https://lambda.us-east-1.amazonaws.com/x") { Content = new ByteArrayContent([1, 2, 3]) };
            return (await signer.SignAsync(message, new ImmutableCredentials("AKID", secret, null), Time)).Signature;
        }
        string one = await SignWith("secret-one"), again = await SignWith("secret-one"), two = await SignWith("secret-two");
        Assert.Equal(one, again);
        Assert.NotEqual(one, two);
        Assert.Matches("^[0-9a-f]{64}$", one);
    }

    [Fact]
    public async Task Signing_twice_replaces_the_first_signature_rather_than_adding_a_second()
    {
        var signer = new SigV4Signer("us-east-1", "lambda");
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://lambda.us-east-1.amazonaws.com/x");
        await signer.SignAsync(message, new ImmutableCredentials("AKID", "s", "t1"), Time);
        var second = await signer.SignAsync(message, new ImmutableCredentials("AKID", "s", "t2"), Time.AddMinutes(1));
        Assert.Equal("t2", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Equal(second.Authorization, message.Headers.GetValues("Authorization").Single());
    }

    [Theory]
    [InlineData("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations", true,
        "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A1%253Afunction%253Af/invocations")]
    [InlineData("/my-object//example//photo.user", false, "/my-object//example//photo.user")]
    [InlineData("/a%2fb/c d", false, "/a%2Fb/c%20d")]
    [InlineData("/a/./b/../c/", true, "/a/c/")]
    [InlineData("", true, "/")]
    public void Paths_are_normalised_and_double_encoded_except_for_s3(string path, bool normalize, string expected) =>
        Assert.Equal(expected, SigV4Canonical.Path(path, normalize));

    [Theory]
    [InlineData("b=2&a=1&a=0", "a=0&a=1&b=2")]
    [InlineData("flag&x=a+b", "flag=&x=a%2Bb")]
    [InlineData("Qualifier=%24LATEST", "Qualifier=%24LATEST")]
    public void Queries_are_decoded_encoded_and_sorted(string query, string expected) =>
        Assert.Equal(expected, SigV4Canonical.Query(query));
}
