namespace CrawlGrep.Core.Scanning;

/// <summary>The last stage of the pipeline: receives hits, warnings and per-file results.</summary>
public interface IHitSink
{
    void OnHit(Hit hit);
    void OnWarning(ScanWarning warning);
    void OnFileDone(FileScanResult result);
}
