namespace CrawlGrep.Tests.Lambda;

/// <summary>The outcome of checking a request's signature: valid, or the AWS error code and message to answer with.</summary>
internal sealed record SignatureCheck(string? ErrorType, string Message, string? AccessKeyId = null)
{
    public bool IsValid => ErrorType is null;

    public static SignatureCheck Valid(string accessKeyId) => new(null, "", accessKeyId);

    public static SignatureCheck Fail(string errorType, string message) => new(errorType, message);

    public override string ToString() => IsValid ? $"valid ({AccessKeyId})" : $"{ErrorType}: {Message}";
}
