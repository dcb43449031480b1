namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// An asynchronous invocation Lambda has accepted (202) and holds in its internal queue until it has run, or until
/// its last retry failed: its event, the ARN it was invoked as, the request id every attempt keeps, and the attempts
/// made so far.
/// </summary>
internal sealed class QueuedEvent(byte[] payload, string invokedArn)
{
    public byte[] Payload { get; } = payload;

    public string InvokedArn { get; } = invokedArn;

    public string RequestId { get; } = Guid.NewGuid().ToString();

    public int Attempts { get; set; }
}
