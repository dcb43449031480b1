namespace CrawlGrep.Core.Execution;

/// <summary>
/// What Lambda billed for one task: every invocation of it (tries, speculative copies), and the REPORT of the one
/// whose result was kept. <see cref="BilledMs"/>, <see cref="GbSeconds"/> and <see cref="Dollars"/> are summed over
/// all the invocations; the memory and init figures are the kept invocation's (null when its REPORT lacked them;
/// <see cref="InitDurationMs"/> is there only when that invocation was a cold start).
/// </summary>
public sealed record TaskBilling(int Invocations, long BilledMs, double GbSeconds, double Dollars, int? MemorySizeMb, int? MaxMemoryUsedMb, double? InitDurationMs);
