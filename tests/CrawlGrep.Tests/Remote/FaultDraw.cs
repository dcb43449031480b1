namespace CrawlGrep.Tests.Remote;

/// <summary>
/// The faults a <see cref="FaultProxy"/> drew for one request. Status != 0: answer with that status instead of
/// forwarding. The fractions place a cut or a stall within the body once its length is known.
/// </summary>
internal readonly record struct FaultDraw(int Status, bool Reset, bool Truncate, bool Slow, double CutFraction, double StallFraction, TimeSpan SlowDelay)
{
    public static FaultDraw Fail(int status) => new(status, false, false, false, 0, 0, default);
}
