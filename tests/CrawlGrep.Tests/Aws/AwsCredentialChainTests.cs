using Amazon.Runtime;
using CrawlGrep.Core.Aws;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// The chain's edges, with its lookup replaced: the process environment is shared by tests running in parallel,
/// so none of these set AWS variables.
/// </summary>
public sealed class AwsCredentialChainTests
{
    private const string Secret = "chain/secret+KEY";
    private const string Token = "chain-session-token";

    [Fact]
    public void Nothing_found_is_one_clear_line()
    {
        var e = Assert.Throws<AwsCredentialsNotFoundException>(() =>
            AwsCredentialChain.Provider(() => throw new AmazonClientException("Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors: ...")));
        Assert.StartsWith("no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", e.Message);
        Assert.Contains("AWS_PROFILE", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.IsType<AmazonClientException>(e.InnerException);

        Assert.Throws<AwsCredentialsNotFoundException>(() => AwsCredentialChain.Provider(() => null));
    }

    [Fact]
    public async Task A_provider_gives_its_current_keys_and_token()
    {
        var provider = AwsCredentialChain.Provider(() => new SessionAWSCredentials("AKIDCHAIN", Secret, Token));
        var credentials = await AwsCredentialChain.ResolveAsync(provider);
        Assert.Equal("AKIDCHAIN", credentials.AccessKey);
        Assert.Equal(Secret, credentials.SecretKey);
        Assert.Equal(Token, credentials.Token);
        Assert.True(credentials.UseToken);
    }

    [Fact]
    public async Task A_provider_that_fails_later_reads_as_no_credentials_without_its_keys()
    {
        var e = await Assert.ThrowsAsync<AwsCredentialsNotFoundException>(() => AwsCredentialChain.ResolveAsync(new FailingCredentials()));
        Assert.DoesNotContain(Secret, e.ToString());
        Assert.DoesNotContain(Token, e.ToString());
    }

    private sealed class FailingCredentials : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => throw new AmazonClientException("role session expired");
        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromException<ImmutableCredentials>(new AmazonClientException("role session expired"));
    }
}
