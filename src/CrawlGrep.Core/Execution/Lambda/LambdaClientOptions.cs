using System.Text;
using Amazon.Runtime;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>Where and as whom <see cref="LambdaClient"/> invokes functions.</summary>
public sealed record LambdaClientOptions
{
    /// <summary>
    /// The region of functions given by name; a full ARN names its own. Null: AWS_REGION, then AWS_DEFAULT_REGION.
    /// </summary>
    public string? Region { get; init; }

    /// <summary>
    /// Another endpoint than https://lambda.REGION.amazonaws.com: an emulator, a VPC interface endpoint. Requests are
    /// still signed for the region.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// Whose requests these are: fixed keys (BasicAWSCredentials, SessionAWSCredentials) or a refreshing provider.
    /// Null: the SDK's standard chain, looked up at the first invocation.
    /// </summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// How long one Invoke may take, end to end. Longer than Lambda's 900 s limit on a function's run, so a slow
    /// function ends with its own timeout error rather than ours.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(16);

    /// <summary>Connections to the endpoint at once: each synchronous invocation holds one for its whole run.</summary>
    public int MaxConnectionsPerServer { get; init; } = 10_000;

    /// <summary>The region a function's invocation is signed for and sent to; throws when none is known.</summary>
    public string RegionFor(LambdaFunctionName function) =>
        function.Region
        ?? DefaultRegion
        ?? throw new InvalidOperationException($"no AWS region for function {function.Display}: give a region, a full function ARN, or set AWS_REGION");

    /// <summary>The region of a call about the account: the one given, else the default; throws when none is known.</summary>
    public string AccountRegion(string? region) =>
        NonEmpty(region)
        ?? DefaultRegion
        ?? throw new InvalidOperationException("no AWS region for the Lambda account settings: give a region, or set AWS_REGION");

    private string? DefaultRegion =>
        NonEmpty(Region)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION"))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));

    /// <summary>The endpoint invocations in a region go to.</summary>
    public Uri EndpointFor(string region) =>
        Endpoint ?? new Uri($"https://lambda.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Names the kind of credentials only: options get logged, keys must not be.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Region = {Region}, Endpoint = {Endpoint}, Credentials = {(Credentials is null ? "(standard chain)" : Credentials.GetType().Name)}, ")
               .Append($"Timeout = {Timeout}, MaxConnectionsPerServer = {MaxConnectionsPerServer}");
        return true;
    }
}
