using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary><c>-l</c>: the target URI of each matching record, once.</summary>
public sealed class UriListPrinter(TextWriter output) : IHitSink
{
    private (string File, long Offset) _last = ("", -1);

    public void OnHit(Hit hit)
    {
        if (_last == (hit.File, hit.RecordOffset)) return;
        _last = (hit.File, hit.RecordOffset);
        output.Write($"{hit.TargetUri ?? hit.RecordId ?? $"{hit.File}@{hit.RecordOffset}"}\n");
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
}
