namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>One moment of a fan-out: invocations in flight and what the scheduler allowed.</summary>
public readonly record struct FleetSample(double Time, int InFlight, int Ceiling);

/// <summary>
/// The concurrency of a fan-out over time, for <c>--stats</c> and the simulation's tables: a sample whenever it
/// changes, at most one per <see cref="Resolution"/> seconds (the last of them kept), so an hour costs a few
/// thousand samples.
/// </summary>
public sealed class FleetTimeline(double resolution = 0.1)
{
    private readonly List<FleetSample> _samples = new();

    public double Resolution => resolution;

    public IReadOnlyList<FleetSample> Samples => _samples;

    public int Peak { get; private set; }

    public void Record(double now, int inFlight, int ceiling)
    {
        Peak = Math.Max(Peak, inFlight);
        var sample = new FleetSample(now, inFlight, ceiling);
        if (_samples.Count > 0)
        {
            var last = _samples[^1];
            if (last.InFlight == inFlight && last.Ceiling == ceiling) return;
            // Within the resolution of the previous one: replace it, keeping its time.
            if (_samples.Count > 1 && now - _samples[^2].Time < resolution)
            {
                _samples[^1] = sample with { Time = last.Time };
                return;
            }
        }
        _samples.Add(sample);
    }

    /// <summary>
    /// The timeline cut into <paramref name="buckets"/> equal spans from 0 to <paramref name="end"/>: each span's
    /// most in flight, and its time-weighted mean.
    /// </summary>
    public IReadOnlyList<(double Start, int Max, double Mean)> Buckets(int buckets, double end)
    {
        var result = new List<(double, int, double)>();
        if (buckets < 1 || end <= 0) return result;
        double width = end / buckets;
        int i = 0;
        int current = 0;
        for (int b = 0; b < buckets; b++)
        {
            double from = b * width, to = from + width, area = 0, at = from;
            int max = current;
            while (i < _samples.Count && _samples[i].Time < to)
            {
                var s = _samples[i];
                double t = Math.Max(s.Time, from);
                area += current * (t - at);
                at = t;
                current = s.InFlight;
                max = Math.Max(max, current);
                i++;
            }
            area += current * (to - at);
            result.Add((from, max, area / width));
        }
        return result;
    }

    /// <summary>The time-weighted mean in flight from 0 to <paramref name="end"/>.</summary>
    public double Mean(double end) => end <= 0 ? 0 : Buckets(1, end)[0].Mean;
}
