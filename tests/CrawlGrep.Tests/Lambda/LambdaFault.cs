using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A fault the emulator injects into matching invocations: those numbered N (1-based, in the order Invoke admitted
/// them) or those whose event passes a predicate. Kill and stop happen After the worker received the event.
/// A fault applies to its first Times matches only (one, unless said otherwise).
/// </summary>
public sealed record LambdaFault(LambdaFaultKind Kind, Func<int, string, bool> Matches, TimeSpan After, int Times = 1)
{
    public static LambdaFault KillWorker(int invocation, TimeSpan after) =>
        new(LambdaFaultKind.KillWorker, (n, _) => n == invocation, after);

    public static LambdaFault KillWorkerWhen(Func<string, bool> eventMatches, TimeSpan after, int times = 1) =>
        new(LambdaFaultKind.KillWorker, (_, e) => eventMatches(e), after, times);

    public static LambdaFault StopWorker(int invocation, TimeSpan after = default) =>
        new(LambdaFaultKind.StopWorker, (n, _) => n == invocation, after);

    public static LambdaFault StopWorkerWhen(Func<string, bool> eventMatches, TimeSpan after = default, int times = 1) =>
        new(LambdaFaultKind.StopWorker, (_, e) => eventMatches(e), after, times);

    public static LambdaFault DropResponse(int invocation) =>
        new(LambdaFaultKind.DropResponse, (n, _) => n == invocation, TimeSpan.Zero);

    public static LambdaFault DropResponseWhen(Func<string, bool> eventMatches, int times = 1) =>
        new(LambdaFaultKind.DropResponse, (_, e) => eventMatches(e), TimeSpan.Zero, times);

    /// <summary>The event as the predicates see it: its bytes as UTF-8 text.</summary>
    internal static string EventText(byte[] payload) => Encoding.UTF8.GetString(payload);
}
