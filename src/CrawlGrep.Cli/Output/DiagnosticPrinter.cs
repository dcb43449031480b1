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
    /// <summary>Called before each line, e.g. to take the progress line off the screen.</summary>
    public Action? BeforeWrite { get; set; }

    public void OnHit(Hit hit) { }

    public void OnWarning(ScanWarning w)
    {
        _perFile.TryGetValue(w.File, out int n);
        _perFile[w.File] = n + 1;
        if (n >= maxWarningsPerFile) return;
        BeforeWrite?.Invoke();
        error.WriteLine($"crawlgrep: {w.File}: offset {w.Offset}: {w.Message}");
    }

    public void OnFileDone(FileScanResult r)
    {
        bool more = _perFile.Remove(r.File, out int n) && n > maxWarningsPerFile;
        if (more || r.Error is not null) BeforeWrite?.Invoke();
        if (more)
            error.WriteLine($"crawlgrep: {r.File}: {n - maxWarningsPerFile} more warnings not shown ({n} in all)");
        if (r.Error is not null) error.WriteLine($"crawlgrep: {r.File}: {r.Error}");
    }
}
