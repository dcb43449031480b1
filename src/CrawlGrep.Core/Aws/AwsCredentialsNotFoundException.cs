namespace CrawlGrep.Core.Aws;

/// <summary>
/// No AWS credentials anywhere the standard chain looks. Its message is the one line a user needs; the SDK's own
/// failure is kept as the inner exception for a debugging trace.
/// </summary>
public sealed class AwsCredentialsNotFoundException(Exception? inner = null)
    : InvalidOperationException(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) or AWS_PROFILE, " +
        "or run where a container or instance role provides them",
        inner);
