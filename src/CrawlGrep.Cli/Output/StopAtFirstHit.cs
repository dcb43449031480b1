using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>grep -q: the first hit shown stops the scan.</summary>
public sealed class StopAtFirstHit(Action stop) : IHitSink
{
    public void OnHit(Hit hit) => stop();
    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
}
