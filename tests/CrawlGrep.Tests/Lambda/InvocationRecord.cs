namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A finished invocation as the emulator saw it, for tests to assert on: its number (1-based, in admission order),
/// the worker process that ran it, whether that was a cold start, its times since the emulator started (Delivered:
/// the worker's /next returned it; null when it never got that far), its error type and its log.
/// </summary>
public sealed record InvocationRecord(
    int Number,
    string RequestId,
    int WorkerPid,
    bool ColdStart,
    TimeSpan? Delivered,
    TimeSpan Finished,
    string? ErrorType,
    string Log);
