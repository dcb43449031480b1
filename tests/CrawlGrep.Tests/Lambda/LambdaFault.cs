using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A fault the emulator injects into matching invocations: those numbered N (1-based, in the order Invoke admitted
/// them, an event's retries included) or those whose event passes a predicate. Kill and stop happen After the worker
/// received the event. A fault applies to its first Times matches only (one, unless said otherwise).
/// </summary>
public sealed record LambdaFault(LambdaFaultKind Kind, Func<int, string, bool> Matches, TimeSpan After, int Times = 1)
{
    /// <summary>For <see cref="LambdaFaultKind.SlowWorker"/>: how many times longer the invocation takes to run.</summary>
    public double Factor { get; init; } = 1;

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

    /// <summary>Makes the worker run invocation N factor times slower (a straggler): see <see cref="LambdaFaultKind.SlowWorker"/>.</summary>
    public static LambdaFault SlowWorker(int invocation, double factor) =>
        new(LambdaFaultKind.SlowWorker, (n, _) => n == invocation, TimeSpan.Zero) { Factor = ValidFactor(factor) };

    public static LambdaFault SlowWorkerWhen(Func<string, bool> eventMatches, double factor, int times = 1) =>
        new(LambdaFaultKind.SlowWorker, (_, e) => eventMatches(e), TimeSpan.Zero, times) { Factor = ValidFactor(factor) };

    private static double ValidFactor(double factor) =>
        double.IsFinite(factor) && factor >= 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "a slowdown is 1 or more times");

    /// <summary>The event as the predicates see it: its bytes as UTF-8 text.</summary>
    internal static string EventText(byte[] payload) => Encoding.UTF8.GetString(payload);
}
