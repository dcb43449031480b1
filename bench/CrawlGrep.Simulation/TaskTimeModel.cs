namespace CrawlGrep.Simulation;

/// <summary>
/// How much slower than its nominal time one run of a task is: a lognormal body (most runs within a few tenths of
/// nominal: a record mix that matches more, a slower first byte) and a Pareto tail (a small share of runs several
/// times slower: a slow S3 partition, a noisy neighbour). Drawn per run, so a copy of a straggler is usually normal.
/// </summary>
public sealed record TaskTimeModel
{
    /// <summary>The body's spread (sigma of ln); its median is 1.</summary>
    public double BodySigma { get; init; } = 0.2;

    /// <summary>The share of runs in the tail.</summary>
    public double TailShare { get; init; } = 0.01;

    /// <summary>The tail's range and its Pareto shape: most tail runs near the minimum, a few near the maximum.</summary>
    public double TailMin { get; init; } = 3;
    public double TailMax { get; init; } = 20;
    public double TailAlpha { get; init; } = 1.5;

    /// <summary>Every run at exactly its nominal time.</summary>
    public static TaskTimeModel None => new() { BodySigma = 0, TailShare = 0 };

    public double Multiplier(Random random)
    {
        if (random.NextDouble() < TailShare)
        {
            // Inverse CDF of a Pareto truncated to [TailMin, TailMax].
            double u = random.NextDouble();
            double lo = Math.Pow(TailMin, -TailAlpha), hi = Math.Pow(TailMax, -TailAlpha);
            return Math.Pow(lo - u * (lo - hi), -1 / TailAlpha);
        }
        if (BodySigma <= 0) return 1;
        return Math.Exp(BodySigma * Normal(random));
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
