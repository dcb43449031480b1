namespace CrawlGrep.Core.Execution.Fleet;

/// <summary>
/// Finds stragglers: tasks running well past the typical time of finished tasks of their size. The typical time is
/// the median seconds per byte of finished tasks (a reservoir of them, so a crawl's 90,000 tasks cost no more than
/// a thousand) times the task's bytes. A scan's budget of copies is a small share of its tasks.
/// </summary>
public sealed class StragglerWatch
{
    private const int Reservoir = 1024;
    private readonly SpeculationOptions _options;
    private readonly List<double> _samples = new();
    private readonly Random _random;
    private int _seen;
    private double _median = double.NaN;
    private bool _dirty;

    public StragglerWatch(SpeculationOptions options, int taskCount, int seed = 0)
    {
        _options = options;
        _random = new Random(seed);
        Budget = options.Enabled ? Math.Max(options.MinCopies, (int)Math.Ceiling(options.MaxCopiesFraction * taskCount)) : 0;
    }

    /// <summary>Copies this scan may start.</summary>
    public int Budget { get; }

    /// <summary>Copies started.</summary>
    public int Copies { get; private set; }

    /// <summary>Copies whose result came first.</summary>
    public int CopiesWon { get; private set; }

    public bool HasBudget => Copies < Budget;

    /// <summary>A task finished on its first try in <paramref name="seconds"/>.</summary>
    public void OnFinished(long bytes, double seconds)
    {
        double rate = seconds / Math.Max(1, bytes);
        _seen++;
        if (_samples.Count < Reservoir) _samples.Add(rate);
        else if (_random.Next(_seen) is int slot && slot < Reservoir) _samples[slot] = rate;
        else return;
        _dirty = true;
    }

    /// <summary>Whether copies may start now: enough is done, nothing waits to start, and budget is left.</summary>
    public bool Active(int done, int total, int waiting) =>
        HasBudget && waiting == 0 && _samples.Count >= _options.MinSamples && done >= _options.MinDoneFraction * total;

    /// <summary>How long a task of <paramref name="bytes"/> may run before it is a straggler.</summary>
    public double Threshold(long bytes) => _options.Factor * TypicalSecondsPerByte() * bytes + _options.SlackSeconds;

    public void OnCopy() => Copies++;

    public void OnCopyWon() => CopiesWon++;

    private double TypicalSecondsPerByte()
    {
        if (_dirty)
        {
            var sorted = _samples.ToArray();
            Array.Sort(sorted);
            _median = sorted[sorted.Length / 2];
            _dirty = false;
        }
        return _median;
    }
}
