namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A finished invocation as the emulator saw it, for tests to assert on: its number (1-based, in admission order),
/// the worker process that ran it, whether that was a cold start, its times since the emulator started (Delivered:
/// the worker's /next returned it; null when it never got that far), its error type and its log; whether it was an
/// asynchronous (Event) invocation and, for an event, which attempt (1 to 3; its retries keep its request id).
/// </summary>
public sealed record InvocationRecord(
    int Number,
    string RequestId,
    int WorkerPid,
    bool ColdStart,
    TimeSpan? Delivered,
    TimeSpan Finished,
    string? ErrorType,
    string Log,
    bool IsEvent = false,
    int Attempt = 1);
