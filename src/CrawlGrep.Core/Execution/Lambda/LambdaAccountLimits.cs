namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// The account's concurrency in a region, from GetAccountSettings: the limit over all its functions, and what of it
/// no function has reserved (what a function without reserved concurrency may use at most).
/// </summary>
public sealed record LambdaAccountLimits(int ConcurrentExecutions, int UnreservedConcurrentExecutions);
