namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>
/// The fleet's answer to a source that pushes back. A bucket's request rate is shared by every worker (Common Crawl's
/// takes a few thousand requests per second in all), so when tasks report 503 SlowDown the whole fleet slows down,
/// not each worker on its own: 15% fewer tasks in flight, new tasks started further apart, and a pacing hint (the
/// spacing a new task's worker starts its requests at). It cuts at once (at most once per cool-down, however many
/// reports carry the same storm) and recovers gently, a little per clean report.
/// </summary>
public sealed class SourceBackoff
{
    private const double CoolDownSeconds = 5, CutFactor = 0.85, MinHintMs = 50, MaxHintMs = 10_000, MaxStartInterval = 1;
    private double _lastCut = double.NegativeInfinity, _lastEase = double.NegativeInfinity;
    private readonly Queue<double> _recentStarts = new();

    /// <summary>The most tasks in flight the source allows now; int.MaxValue while it has not pushed back.</summary>
    public int Cap { get; private set; } = int.MaxValue;

    /// <summary>Seconds between task starts; zero while the source has not pushed back.</summary>
    public double StartInterval { get; private set; }

    /// <summary>The spacing (ms) a new task's worker starts its requests at; zero while the source has not pushed back.</summary>
    public double PacingHintMs { get; private set; }

    /// <summary>Times the fleet slowed down for the source.</summary>
    public int Cuts { get; private set; }

    /// <summary>Push-backs (503 SlowDown and the like) and retries the workers reported.</summary>
    public long Slowdowns { get; private set; }
    public long Retries { get; private set; }
    public long Requests { get; private set; }

    /// <summary>A task started: counted for the start rate a cut is measured against.</summary>
    public void OnStart(double now)
    {
        _recentStarts.Enqueue(now);
        while (_recentStarts.Count > 0 && _recentStarts.Peek() < now - CoolDownSeconds) _recentStarts.Dequeue();
    }

    /// <summary>A task ended and its worker said what the source did to it.</summary>
    public void OnReport(double now, int inFlight, long requests, long slowdowns, long retries)
    {
        Requests += requests;
        Retries += retries;
        Slowdowns += slowdowns;
        if (slowdowns > 0)
        {
            if (now - _lastCut < CoolDownSeconds) return;
            _lastCut = now;
            Cuts++;
            Cap = Math.Max(1, (int)(Math.Min(Cap, Math.Max(1, inFlight)) * CutFactor));
            // Starts from now on at most 85% of the recent start rate.
            double recentRate = _recentStarts.Count / CoolDownSeconds;
            double interval = recentRate > 0 ? 1 / (recentRate * CutFactor) : StartInterval * 2;
            StartInterval = Math.Min(MaxStartInterval, Math.Max(StartInterval * 2, interval));
            PacingHintMs = Math.Min(MaxHintMs, Math.Max(MinHintMs, PacingHintMs * 2));
            return;
        }
        if (now - _lastCut < CoolDownSeconds) return;
        // A clean report: grow back a little at once, and more for every cool-down without push-back, so a storm that
        // has passed does not leave the fleet crawling (its reports come rarely when few tasks run). The cap is kept
        // once set: forgetting it overshoots into the next storm.
        bool period = now - Math.Max(_lastCut, _lastEase) >= CoolDownSeconds;
        if (period) _lastEase = now;
        if (Cap != int.MaxValue) Cap = period ? Cap + Math.Max(1, Cap / 10) : Cap + 1;
        StartInterval *= period ? 0.5 : 0.9;
        if (StartInterval < 0.001) StartInterval = 0;
        PacingHintMs *= period ? 0.5 : 0.9;
        if (PacingHintMs < 5) PacingHintMs = 0;
    }
}
