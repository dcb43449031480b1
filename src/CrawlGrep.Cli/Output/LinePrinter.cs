using System.Text.Unicode;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// The default output, one line per hit like <c>rg --vimgrep</c>:
/// <c>FILE:RECORD_OFFSET:TARGET_URI:context</c>, with the match highlighted on a terminal
/// (with -o, the match alone in place of the context).
/// </summary>
public sealed class LinePrinter(Stream output, Ansi color, bool onlyMatching = false) : RenderingPrinter(output)
{
    public override ITaskRenderer ForTask() => new Lines(color, onlyMatching);

    /// <summary>Renders a hit's line as UTF-8, into a buffer of its own that grows to the longest line.</summary>
    private sealed class Lines(Ansi c, bool onlyMatching) : ITaskRenderer
    {
        private byte[] _line = new byte[1024];

        public ReadOnlySpan<byte> Render(Hit hit)
        {
            string uri = hit.TargetUri ?? hit.RecordId ?? "-";
            while (true)
            {
                bool written = onlyMatching
                    ? Utf8.TryWrite(_line, $"{c.Path}{hit.File}{c.Reset}:{c.Number}{hit.RecordOffset}{c.Reset}:{c.Uri}{uri}{c.Reset}:{c.Match}{hit.Match}{c.Reset}\n", out int n)
                    : TryWriteContext(hit, uri, out n);
                if (written) return _line.AsSpan(0, n);
                _line = new byte[_line.Length * 2];
            }
        }

        private bool TryWriteContext(Hit hit, string uri, out int n)
        {
            int at = !c.Enabled || hit.Match.Length == 0 ? -1 : hit.Context.IndexOf(hit.Match, StringComparison.Ordinal);
            if (at < 0)
                return Utf8.TryWrite(_line, $"{c.Path}{hit.File}{c.Reset}:{c.Number}{hit.RecordOffset}{c.Reset}:{c.Uri}{uri}{c.Reset}:{hit.Context}\n", out n);
            var context = hit.Context.AsSpan();
            return Utf8.TryWrite(_line, $"{c.Path}{hit.File}{c.Reset}:{c.Number}{hit.RecordOffset}{c.Reset}:{c.Uri}{uri}{c.Reset}:{context[..at]}{c.Match}{hit.Match}{c.Reset}{context[(at + hit.Match.Length)..]}\n", out n);
        }
    }
}
