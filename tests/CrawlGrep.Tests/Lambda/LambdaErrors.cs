using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Error answers shaped as Lambda shapes them, so that a client's error handling is tested against the real shapes:
/// service errors (JSON <c>{"Type":"User","message":...}</c>, x-amzn-ErrorType, x-amzn-RequestId), function errors
/// (<c>{"errorType":...,"errorMessage":...}</c> payloads) and the Runtime API's own error bodies.
/// </summary>
internal static class LambdaErrors
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string InvalidSignatureMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public const string InvalidTokenMessage = "The security token included in the request is invalid.";

    /// <summary>A service error of the Invoke API.</summary>
    public static HttpReply Service(int status, string type, string message, string requestId, string? reason = null)
    {
        var body = new Dictionary<string, string>();
        if (reason is not null) body["Reason"] = reason;
        body["Type"] = "User";
        body["message"] = message;
        return new HttpReply(status, JsonSerializer.SerializeToUtf8Bytes(body, Json),
            ("Content-Type", "application/json"), ("x-amzn-ErrorType", type), ("x-amzn-RequestId", requestId));
    }

    public static HttpReply FunctionNotFound(string arn, string requestId) =>
        Service(404, "ResourceNotFoundException", $"Function not found: {arn}", requestId);

    public static HttpReply RequestTooLarge(string requestId) =>
        Service(413, "RequestEntityTooLargeException",
            $"Request must be smaller than {EmulatorOptions.MaxPayloadBytes} bytes for the InvokeFunction operation", requestId);

    /// <summary>An Event payload over 1 MB, in the words Lambda uses for the Event invocation type.</summary>
    public static HttpReply EventTooLarge(long length, string requestId) =>
        Service(413, "RequestEntityTooLargeException",
            $"{length} byte payload is too large for the Event invocation type (limit {EmulatorOptions.MaxEventPayloadBytes} bytes)", requestId);

    /// <param name="reserved">Whether the limit reached is the function's reserved concurrency or the account's.</param>
    public static HttpReply Throttled(int retryAfterSeconds, bool reserved, string requestId)
    {
        var reply = Service(429, "TooManyRequestsException", "Rate Exceeded.", requestId,
            reserved ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded");
        reply.Fields.Add(new("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
        return reply;
    }

    public static HttpReply InvalidParameter(string message, string requestId) =>
        Service(400, "InvalidParameterValueException", message, requestId);

    public static HttpReply InvalidRequestContent(string message, string requestId) =>
        Service(400, "InvalidRequestContentException", message, requestId);

    /// <summary>The payload of a failed invocation, as Lambda writes it when the runtime itself did not.</summary>
    public static byte[] FunctionError(string errorType, string errorMessage) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errorType"] = errorType, ["errorMessage"] = errorMessage }, Json);

    public static byte[] TimedOut(string requestId, TimeSpan timeout) =>
        FunctionError("Sandbox.Timedout", $"RequestId: {requestId} Error: Task timed out after {timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds");

    /// <param name="how">"exit status 1", "signal: killed", ... as the Go runtime of Lambda words a process's end.</param>
    public static byte[] ExitError(string requestId, string how) =>
        FunctionError("Runtime.ExitError", $"RequestId: {requestId} Error: Runtime exited with error: {how}");

    public static byte[] ResponseSizeTooLarge() =>
        FunctionError("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes).");

    /// <summary>An error answer of the Runtime API to a worker (its spec's ErrorResponse shape).</summary>
    public static HttpReply Runtime(int status, string errorType, string errorMessage) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errorMessage"] = errorMessage, ["errorType"] = errorType }, Json),
            ("Content-Type", "application/json"));
}
