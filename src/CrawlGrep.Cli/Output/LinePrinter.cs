using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// The default output, one line per hit like <c>rg --vimgrep</c>:
/// <c>FILE:RECORD_OFFSET:TARGET_URI:context</c>, with the match highlighted on a terminal
/// (with -o, the match alone in place of the context).
/// </summary>
public sealed class LinePrinter(TextWriter output, Ansi color, bool onlyMatching = false) : IHitSink
{
    public void OnHit(Hit hit)
    {
        var c = color;
        string context = onlyMatching ? $"{c.Match}{hit.Match}{c.Reset}" : Highlight(hit, c);
        output.Write($"{c.Path}{hit.File}{c.Reset}:{c.Number}{hit.RecordOffset}{c.Reset}:{c.Uri}{hit.TargetUri ?? hit.RecordId ?? "-"}{c.Reset}:{context}\n");
    }

    private static string Highlight(Hit hit, Ansi c)
    {
        if (!c.Enabled || hit.Match.Length == 0) return hit.Context;
        int at = hit.Context.IndexOf(hit.Match, StringComparison.Ordinal);
        if (at < 0) return hit.Context;
        return $"{hit.Context[..at]}{c.Match}{hit.Match}{c.Reset}{hit.Context[(at + hit.Match.Length)..]}";
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) { }
}
