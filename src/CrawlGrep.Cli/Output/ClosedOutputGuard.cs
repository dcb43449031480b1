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

    /// <summary>The printer as a renderer (hits formatted on the scanning threads), guarded alike; null when it is none.</summary>
    public IHitRenderer? Renderer => printer is IHitRenderer r ? new GuardedRenderer(this, r) : null;

    public void OnHit(Hit hit)
    {
        if (Closed) return;
        try { printer.OnHit(hit); }
        catch (IOException) { Close(); }
    }

    public void OnWarning(ScanWarning warning)
    {
        if (Closed) return;
        try { printer.OnWarning(warning); }
        catch (IOException) { Close(); }
    }

    public void OnFileDone(FileScanResult result)
    {
        if (Closed) return;
        try { printer.OnFileDone(result); }
        catch (IOException) { Close(); }
    }

    private void Close()
    {
        Closed = true;
        onClosed();
    }

    private sealed class GuardedRenderer(ClosedOutputGuard guard, IHitRenderer renderer) : IHitRenderer
    {
        public ITaskRenderer ForTask() => renderer.ForTask();

        public void Write(ReadOnlySpan<byte> rendered)
        {
            if (guard.Closed) return;
            try { renderer.Write(rendered); }
            catch (IOException) { guard.Close(); }
        }
    }
}
