namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// What GetFunction says about a function that sizes and prices a scan: its ARN, memory, timeout, instruction set
/// (x86_64 or arm64) and reserved concurrency, null when none is reserved (it then shares the account's pool).
/// </summary>
public sealed record LambdaFunctionInfo(string Arn, int MemorySizeMb, int TimeoutSeconds, string Architecture, int? ReservedConcurrency);
