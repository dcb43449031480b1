namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// What a synchronous Invoke returned with HTTP 2xx. A function that threw is still a 2xx: then
/// <see cref="FunctionError"/> is set (Handled or Unhandled) and the payload holds the error document.
/// </summary>
public sealed record LambdaInvokeResult(
    int StatusCode,
    ReadOnlyMemory<byte> Payload,
    string? FunctionError,
    string? LogTail,
    string? ExecutedVersion,
    string? RequestId,
    LambdaReport? Report)
{
    /// <summary>The function ran to its end without an error.</summary>
    public bool Succeeded => FunctionError is null;
}
