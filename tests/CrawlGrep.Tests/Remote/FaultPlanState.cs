namespace CrawlGrep.Tests.Remote;

/// <summary>
/// A <see cref="FaultPlan"/> with its own first-N count and seeded random sequence; a proxy replaces it whole
/// when its plan changes, so a new plan starts from its first request.
/// </summary>
internal sealed class FaultPlanState(FaultPlan plan)
{
    private readonly Random _random = new(plan.Seed);
    private int _eligible;

    public FaultPlan Plan => plan;

    /// <summary>Draws the faults of one request. Locked: connections draw concurrently.</summary>
    public FaultDraw Draw(HttpHead request)
    {
        if (plan.AlwaysFail is { } always && always(request.Target)) return FaultDraw.Fail(plan.AlwaysFailStatus);
        if (plan.GetOnly && request.Method != "GET") return default;
        lock (_random)
        {
            bool first = ++_eligible <= plan.Fail503First;
            if (first || Chance(plan.Fail503Rate)) return FaultDraw.Fail(503);
            bool reset = Chance(plan.ResetRate);
            bool truncate = !reset && Chance(plan.TruncateRate);
            bool slow = Chance(plan.SlowRate);
            return new FaultDraw(0, reset, truncate, slow, _random.NextDouble(), _random.NextDouble(), plan.SlowDelay);
        }
    }

    // Rates of 0 and 1 draw nothing, so a plan with only certain faults keeps the same sequence for the others.
    private bool Chance(double p) => p > 0 && (p >= 1 || _random.NextDouble() < p);
}
