using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// Holds one input's events until it is done, so inputs scanned in parallel still print as
/// contiguous blocks (as ripgrep does). One instance per input.
/// </summary>
public sealed class FileOrderedSink(IHitSink target) : IHitSink
{
    private readonly List<object> _events = new();

    public void OnHit(Hit hit) => _events.Add(hit);
    public void OnWarning(ScanWarning w) => _events.Add(w);

    public void OnFileDone(FileScanResult r)
    {
        lock (target) // the whole input at once, not interleaved with another's
        {
            foreach (var e in _events)
                if (e is Hit h) target.OnHit(h); else target.OnWarning((ScanWarning)e);
            _events.Clear();
            target.OnFileDone(r);
        }
    }
}
