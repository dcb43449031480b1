namespace CrawlGrep.Tests.Lambda;

/// <summary>What Invoke answers for an admitted invocation: its outcome, its log (START to REPORT), and whether a fault drops the answer.</summary>
internal sealed record InvokeResult(Invocation Invocation, InvocationOutcome Outcome, string Log, bool DropResponse);
