using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary><c>-c</c>: matching lines per input, as grep counts them (<c>FILE:N</c>; just N for a single input).</summary>
public sealed class CountPrinter(TextWriter output, Ansi color, bool singleInput) : IHitSink
{
    private readonly Dictionary<string, (long Lines, (long, long) LastKey)> _counts = new();

    public void OnHit(Hit hit)
    {
        var key = (hit.RecordOffset, hit.LineOffset);
        if (!_counts.TryGetValue(hit.File, out var c)) c = (0, (-1, -1));
        if (c.LastKey != key) c = (c.Lines + 1, key);
        _counts[hit.File] = c;
    }

    public void OnWarning(ScanWarning warning) { }

    public void OnFileDone(FileScanResult result)
    {
        if (result.Error is not null) return;
        long n = _counts.TryGetValue(result.File, out var c) ? c.Lines : 0;
        _counts.Remove(result.File);
        output.Write(singleInput ? $"{n}\n" : $"{color.Path}{result.File}{color.Reset}:{n}\n");
    }
}
