using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// Stands between the scan and a printer: when stdout goes away (<c>| head</c>), the first failed write calls
/// <paramref name="onClosed"/> (which stops the scan, as grep stops on SIGPIPE) and later events are dropped,
/// instead of each one failing again inside a scanner.
/// </summary>
public sealed class ClosedOutputGuard(IHitSink printer, Action onClosed) : IHitSink
{
    public bool Closed { get; private set; }

    public void OnHit(Hit hit) => Guard(() => printer.OnHit(hit));
    public void OnWarning(ScanWarning warning) => Guard(() => printer.OnWarning(warning));
    public void OnFileDone(FileScanResult result) => Guard(() => printer.OnFileDone(result));

    private void Guard(Action write)
    {
        if (Closed) return;
        try { write(); }
        catch (IOException)
        {
            Closed = true;
            onClosed();
        }
    }
}
