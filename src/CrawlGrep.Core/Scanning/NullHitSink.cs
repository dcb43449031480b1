namespace CrawlGrep.Core.Scanning;

/// <summary>A sink that drops everything: for grep -q, and for scans run only to be timed.</summary>
public sealed class NullHitSink : IHitSink
{
    public static readonly NullHitSink Instance = new();

    public void OnHit(Hit hit) { }
    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
}
