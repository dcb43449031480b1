namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>
/// How many invocations a fleet may have in flight. Two limits meet here: the target, halved when Lambda throttles
/// (429: the function's or the account's concurrency is used up) and grown back additively (one per success up to
/// where the last 429 came, then slowly, one per round of the target, probing for more); and the ramp,
/// which follows how fast Lambda adds execution environments to a function (1,000 at once, then 1,000 more every
/// 10 s: a staircase), so a fleet does not fire every invocation at once and collect 429s for the excess.
/// </summary>
public sealed class ConcurrencyControl
{
    private double _rampStartedAt = double.NaN;
    private double _target;

    /// <summary>How many were in flight when the last 429 came: growth slows near it. Forgotten after a quiet minute.</summary>
    private double _throttledAt = double.PositiveInfinity, _lastThrottle = double.NegativeInfinity;
    private const double ForgetSeconds = 60;

    public ConcurrencyControl(int maximum, int rampStep = 1000, double rampStepSeconds = 10)
    {
        Maximum = Math.Max(1, maximum);
        _target = Maximum;
        RampStep = Math.Max(1, rampStep);
        RampStepSeconds = rampStepSeconds;
    }

    /// <summary>What the scan was allowed (<c>--lambda-concurrency</c>, or what the account allows).</summary>
    public int Maximum { get; }

    /// <summary>Environments Lambda adds at once; zero or less seconds between steps: no ramp.</summary>
    public int RampStep { get; }

    public double RampStepSeconds { get; }

    /// <summary>The target after throttling: at most <see cref="Maximum"/>, at least one.</summary>
    public int Target => (int)_target;

    /// <summary>Counts the target's cuts: a 429 to an invocation started before the last cut is the same push-back.</summary>
    public int Epoch { get; private set; }

    /// <summary>Cuts made (429s that halved the target).</summary>
    public int Cuts { get; private set; }

    /// <summary>How many may be in flight at <paramref name="now"/> (seconds on the scan's clock).</summary>
    public int Ceiling(double now) => (int)Math.Min(Target, Ramp(now));

    /// <summary>The ramp's allowance at <paramref name="now"/>.</summary>
    public double Ramp(double now) =>
        RampStepSeconds <= 0 ? double.PositiveInfinity
        : double.IsNaN(_rampStartedAt) ? RampStep
        : RampStep * (1 + Math.Floor(Math.Max(0, now - _rampStartedAt) / RampStepSeconds));

    /// <summary>When the ramp allows <paramref name="inFlight"/> + 1 (now if it already does).</summary>
    public double RampAllowsMoreAt(int inFlight, double now)
    {
        if (inFlight + 1 <= Ramp(now)) return now;
        return _rampStartedAt + Math.Ceiling((inFlight + 1.0) / RampStep - 1) * RampStepSeconds;
    }

    /// <summary>The first invocation starts the ramp.</summary>
    public void OnStart(double now)
    {
        if (double.IsNaN(_rampStartedAt)) _rampStartedAt = now;
    }

    /// <summary>
    /// Lambda answered 429 to an invocation started in <paramref name="epoch"/>: halve the target, once per push-back
    /// (the 429s of invocations that started before the cut are the same one). True when it cut.
    /// </summary>
    public bool OnThrottled(int epoch, int inFlight, double now)
    {
        if (epoch != Epoch) return false;
        // A 429 while the ramp allows more than were in flight is Lambda's scaling rate: it says nothing of the limit.
        if (inFlight < Ramp(now))
        {
            _throttledAt = Math.Max(1, inFlight);
            _lastThrottle = now;
        }
        _target = Math.Max(1, Math.Floor(_target / 2));
        Epoch++;
        Cuts++;
        return true;
    }

    /// <summary>An invocation went through: grow the target by one, up to the maximum.</summary>
    public void OnSuccess(double now)
    {
        if (now - _lastThrottle > ForgetSeconds) _throttledAt = double.PositiveInfinity;
        double step = _target + 1 <= _throttledAt ? 1 : 1 / _target;
        _target = Math.Min(Maximum, _target + step);
    }
}
