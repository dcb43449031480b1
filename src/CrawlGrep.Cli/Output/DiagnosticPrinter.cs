using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// Warnings and per-input errors on stderr, one line each, naming file and offset. After
/// <see cref="MaxWarningsPerFile"/> warnings for one input the rest are counted, not printed.
/// </summary>
public sealed class DiagnosticPrinter(TextWriter error, int maxWarningsPerFile = 20) : IHitSink
{
    private readonly Dictionary<string, int> _perFile = new();
    public int MaxWarningsPerFile => maxWarningsPerFile;

    public void OnHit(Hit hit) { }

    public void OnWarning(ScanWarning w)
    {
        _perFile.TryGetValue(w.File, out int n);
        _perFile[w.File] = n + 1;
        if (n < maxWarningsPerFile) error.WriteLine($"crawlgrep: {w.File}: offset {w.Offset}: {w.Message}");
    }

    public void OnFileDone(FileScanResult r)
    {
        if (_perFile.Remove(r.File, out int n) && n > maxWarningsPerFile)
            error.WriteLine($"crawlgrep: {r.File}: {n - maxWarningsPerFile} more warnings not shown ({n} in all)");
        if (r.Error is not null) error.WriteLine($"crawlgrep: {r.File}: {r.Error}");
    }
}
