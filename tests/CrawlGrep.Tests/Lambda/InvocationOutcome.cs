namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// How one invocation ended: the payload Invoke returns and, for a failed one, the error type that goes into
/// the payload (X-Amz-Function-Error: Unhandled) and the REPORT line's Status, when Lambda writes one.
/// </summary>
internal sealed record InvocationOutcome(byte[] Payload, string? ErrorType, string? ReportStatus = null)
{
    public bool Failed => ErrorType is not null;

    public static InvocationOutcome Success(byte[] payload) => new(payload, null);

    public static InvocationOutcome Error(string errorType, byte[] payload, string? reportStatus = null) => new(payload, errorType, reportStatus);
}
