namespace CrawlGrep.Simulation;

/// <summary>
/// An S3 bucket (or prefix) with a request-rate limit: it takes at most <see cref="RequestsPerSecond"/> GETs in any
/// sliding second and answers 503 SlowDown to the rest. Only the GETs it took count toward the rate (S3 does not
/// publish how refused ones count; counting them would only make a storm last longer).
/// </summary>
public sealed class SimulatedBucket(double requestsPerSecond)
{
    private readonly Queue<double> _taken = new();

    public double RequestsPerSecond => requestsPerSecond;

    public long Requests { get; private set; }
    public long SlowDowns { get; private set; }

    /// <summary>A GET at <paramref name="now"/>: true when the bucket serves it, false for a 503 SlowDown.</summary>
    public bool TryGet(double now)
    {
        Requests++;
        if (double.IsPositiveInfinity(requestsPerSecond)) return true;
        while (_taken.Count > 0 && _taken.Peek() <= now - 1) _taken.Dequeue();
        if (_taken.Count >= requestsPerSecond)
        {
            SlowDowns++;
            return false;
        }
        _taken.Enqueue(now);
        return true;
    }
}
