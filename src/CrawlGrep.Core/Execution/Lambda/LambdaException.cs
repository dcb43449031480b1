namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// A call of the Lambda API (Invoke, GetFunction, GetAccountSettings) that Lambda refused or that never reached it.
/// Carries what a retry policy needs (status, error type, Retry-After, <see cref="IsRetryable"/>); its message is the
/// one line a user sees. It never holds credentials, a signature or the Authorization header: error texts from the
/// service are cleaned of them before they get here.
/// </summary>
public sealed class LambdaException : Exception
{
    public LambdaException(int statusCode, string? errorType, string? serviceMessage, string? reason, TimeSpan? retryAfter,
        string? requestId, string function, string region, string endpointHost, Exception? inner = null, string operation = "Invoke")
        : base(Describe(statusCode, errorType, serviceMessage, reason, function, region, endpointHost, inner, operation), inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorType = errorType;
        ServiceMessage = serviceMessage;
        Reason = reason;
        RetryAfter = retryAfter;
        RequestId = requestId;
        Function = function;
        Region = region;
        EndpointHost = endpointHost;
    }

    /// <summary>The HTTP status; 0 when no answer came (connection refused or reset, DNS, timeout).</summary>
    public int StatusCode { get; }

    /// <summary>The error's type (ResourceNotFoundException, TooManyRequestsException, ...), when Lambda named it.</summary>
    public string? ErrorType { get; }

    /// <summary>The service's own text for the error (the body's message).</summary>
    public string? ServiceMessage { get; }

    /// <summary>Why a request was throttled (the body's Reason on 429), e.g. ReservedFunctionConcurrentInvocationLimitExceeded.</summary>
    public string? Reason { get; }

    /// <summary>How long the service asked us to wait before trying again (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Lambda's id of the failed request (x-amzn-RequestId), for a support case.</summary>
    public string? RequestId { get; }

    /// <summary>The API operation that failed: Invoke, GetFunction, GetAccountSettings.</summary>
    public string Operation { get; }

    /// <summary>The function called; empty for an operation on the account.</summary>
    public string Function { get; }
    public string Region { get; }
    public string EndpointHost { get; }

    /// <summary>Throttling (429), a server-side failure (5xx) or no answer at all: trying again may succeed.</summary>
    public bool IsRetryable => StatusCode is 0 or 429 || StatusCode >= 500;

    /// <summary>A refusal of the caller's identity or rights: no retry or other function will fix it.</summary>
    public bool IsAccessDenied => StatusCode is 401 or 403
        || ErrorType is "InvalidSignatureException" or "UnrecognizedClientException" or "AccessDeniedException";

    /// <summary>
    /// The one line a user sees: the common fatal cases in their own words (function not found, access denied,
    /// endpoint unreachable), any other failure as status, type and the service's text.
    /// </summary>
    public static string Describe(int statusCode, string? errorType, string? serviceMessage, string? reason,
        string function, string region, string endpointHost, Exception? inner = null, string operation = "Invoke")
    {
        if (statusCode == 0)
            return $"cannot reach Lambda endpoint {endpointHost}: {OneLine(inner?.Message) ?? "no response"}";
        if (statusCode == 404 && errorType is null or "ResourceNotFoundException" && function.Length > 0)
            return $"function {function} not found in {region}";
        if (statusCode is 401 or 403 || errorType is "InvalidSignatureException" or "UnrecognizedClientException" or "AccessDeniedException")
            return $"access denied calling Lambda: {OneLine(serviceMessage) ?? errorType ?? $"HTTP {statusCode}"}";
        string detail = string.Join(": ", new[] { errorType, OneLine(serviceMessage) }.Where(s => !string.IsNullOrEmpty(s)));
        return $"Lambda {operation}{(function.Length > 0 ? " of " + function : "")} failed: HTTP {statusCode}"
               + (detail.Length > 0 ? " " + detail : "")
               + (reason is null ? "" : $" ({reason})");
    }

    private static string? OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
