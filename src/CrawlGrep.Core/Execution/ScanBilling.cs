namespace CrawlGrep.Core.Execution;

/// <summary>
/// What Lambda billed for a scan (or for one run of it, when it is resumed): every invocation it paid for, including
/// the retries and speculative copies whose results were not kept. So these totals can exceed the sum of the tasks'
/// own billing, which is that of the try that was recorded.
/// </summary>
public sealed record ScanBilling(long Invocations, long BilledMs, double GbSeconds, double Dollars);
