using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace CrawlGrep.Core.Aws;

/// <summary>
/// The caller's AWS credentials through AWSSDK.Core's standard chain: environment variables, the shared profile
/// (AWS_PROFILE), web identity, then a container or instance role. The chain's provider refreshes temporary
/// credentials itself, so long runs ask it again per request rather than keeping one snapshot.
/// </summary>
public static class AwsCredentialChain
{
    /// <summary>The provider the chain picks; throws <see cref="AwsCredentialsNotFoundException"/> when there is none.</summary>
    public static AWSCredentials Provider() => Provider(() => DefaultAWSCredentialsIdentityResolver.GetCredentials());

    /// <summary>The credentials in force now (keys and, for temporary ones, the session token).</summary>
    public static Task<ImmutableCredentials> ResolveAsync(CancellationToken ct = default) => ResolveAsync(Provider(), ct);

    /// <summary>Current credentials from a provider, with a provider's failure (an expired role, say) made one line.</summary>
    public static async Task<ImmutableCredentials> ResolveAsync(AWSCredentials provider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ct.ThrowIfCancellationRequested();
        ImmutableCredentials? credentials;
        try { credentials = await provider.GetCredentialsAsync().ConfigureAwait(false); }
        catch (AmazonClientException e) { throw new AwsCredentialsNotFoundException(e); }
        if (credentials is null || string.IsNullOrEmpty(credentials.AccessKey) || string.IsNullOrEmpty(credentials.SecretKey))
            throw new AwsCredentialsNotFoundException();
        return credentials;
    }

    /// <summary>The chain's lookup made testable: the SDK reports "nothing found" as an AmazonClientException.</summary>
    internal static AWSCredentials Provider(Func<AWSCredentials?> lookup)
    {
        AWSCredentials? found;
        try { found = lookup(); }
        catch (AmazonClientException e) { throw new AwsCredentialsNotFoundException(e); }
        return found ?? throw new AwsCredentialsNotFoundException();
    }
}
