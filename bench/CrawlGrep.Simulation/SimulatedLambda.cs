namespace CrawlGrep.Simulation;

/// <summary>What Lambda did with an invocation: refused it (429), or gave it a warm or a new environment.</summary>
public readonly record struct LambdaAdmission(bool Throttled, double InitSeconds)
{
    public bool Cold => InitSeconds > 0;
}

/// <summary>
/// One function's execution environments under an account's limits: an invocation gets 429 (Retry-After 1 s) when
/// the busy environments reach the account's concurrency limit, or when it needs a new environment and the function
/// already made its 1,000 in the last 10 s (Lambda's scaling rate, read here as a sliding window: the most
/// conservative reading of "1,000 every 10 seconds"). An idle environment is reused warm; a new one has a cold
/// start of 150-400 ms, billed (a custom runtime's init is billed).
/// </summary>
public sealed class SimulatedLambda
{
    private readonly Random _random;
    private readonly Queue<double> _created = new();
    private readonly double _coldMin, _coldMax;

    public SimulatedLambda(int accountLimit, int newPerWindow, double windowSeconds, double coldStartMin, double coldStartMax, Random random)
    {
        AccountLimit = accountLimit;
        NewPerWindow = newPerWindow;
        WindowSeconds = windowSeconds;
        _coldMin = coldStartMin;
        _coldMax = coldStartMax;
        _random = random;
    }

    public int AccountLimit { get; }
    public int NewPerWindow { get; }
    public double WindowSeconds { get; }

    /// <summary>Environments running an invocation (also ones whose caller gave up: Lambda runs them to the end).</summary>
    public int Busy { get; private set; }
    public int Idle { get; private set; }
    public int PeakBusy { get; private set; }

    public long ColdStarts { get; private set; }
    public long ThrottledByAccount { get; private set; }
    public long ThrottledByScaling { get; private set; }

    public const double RetryAfterSeconds = 1;

    public LambdaAdmission Invoke(double now)
    {
        if (Busy >= AccountLimit)
        {
            ThrottledByAccount++;
            return new LambdaAdmission(true, 0);
        }
        double init = 0;
        if (Idle > 0) Idle--;
        else
        {
            while (_created.Count > 0 && _created.Peek() <= now - WindowSeconds) _created.Dequeue();
            if (_created.Count >= NewPerWindow)
            {
                ThrottledByScaling++;
                return new LambdaAdmission(true, 0);
            }
            _created.Enqueue(now);
            ColdStarts++;
            init = _coldMax > 0 ? _coldMin + (_coldMax - _coldMin) * _random.NextDouble() : 0;
        }
        Busy++;
        PeakBusy = Math.Max(PeakBusy, Busy);
        return new LambdaAdmission(false, init);
    }

    /// <summary>An invocation ended: its environment waits warm for the next.</summary>
    public void Release()
    {
        Busy--;
        Idle++;
    }
}
