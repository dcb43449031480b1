using System.Text;
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
            var match = hit.MatchUtf8.Span;
            var context = hit.ContextUtf8.Span;
            // The match highlighted in the context (or alone, with -o): before it, the match, after it.
            int at = onlyMatching ? 0 : !c.Enabled || match.IsEmpty ? -1 : context.IndexOf(match);
            ReadOnlySpan<byte> before = [], lit = [], after = [];
            if (onlyMatching) lit = match;
            else if (at < 0) before = context;
            else
            {
                before = context[..at];
                lit = match;
                after = context[(at + match.Length)..];
            }
            while (true)
            {
                if (Utf8.TryWrite(_line, $"{c.Path}{hit.File}{c.Reset}:{c.Number}{hit.RecordOffset}{c.Reset}:{c.Uri}{uri}{c.Reset}:", out int n)
                    && TryAppend(ref n, before)
                    && (at < 0 || TryAppend(ref n, c.Match) && TryAppend(ref n, lit) && TryAppend(ref n, c.Reset))
                    && TryAppend(ref n, after)
                    && TryAppend(ref n, "\n"u8))
                    return _line.AsSpan(0, n);
                _line = new byte[_line.Length * 2];
            }
        }

        private bool TryAppend(ref int n, ReadOnlySpan<byte> bytes)
        {
            if (!bytes.TryCopyTo(_line.AsSpan(n))) return false;
            n += bytes.Length;
            return true;
        }

        private bool TryAppend(ref int n, string text)
        {
            if (!Encoding.UTF8.TryGetBytes(text, _line.AsSpan(n), out int written)) return false;
            n += written;
            return true;
        }
    }
}
