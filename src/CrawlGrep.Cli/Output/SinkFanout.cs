using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>Hands every event to several sinks in order, under a lock on itself (workers call it concurrently).</summary>
public sealed class SinkFanout(params IHitSink[] sinks) : IHitSink
{
    public void OnHit(Hit hit) { lock (this) foreach (var s in sinks) s.OnHit(hit); }
    public void OnWarning(ScanWarning w) { lock (this) foreach (var s in sinks) s.OnWarning(w); }
    public void OnFileDone(FileScanResult r) { lock (this) foreach (var s in sinks) s.OnFileDone(r); }
}
