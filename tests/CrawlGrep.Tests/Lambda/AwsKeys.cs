namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// An AWS key pair and, for temporary credentials, its session token: a caller's (to sign Invoke requests) or the
/// function's own role (handed to each worker process, as Lambda does).
/// </summary>
public sealed record AwsKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);
