using System.Globalization;
using System.Text;
using CrawlGrep.Core.Jobs;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// A research job's report as one self-contained HTML5 page: inline CSS and inline SVG only (no script, no web font,
/// no link to anything), so it opens from a file, offline, in any browser, and can be mailed or archived as it is.
/// It shows hits per crawl per pattern (a grouped bar chart), the top hosts of the latest crawl against the crawl
/// before (a horizontal bar chart), and the runs behind them (a table). Every string from the data is HTML-escaped.
/// </summary>
public static class JobReportPage
{
    /// <summary>Patterns drawn in a colour of their own; the rest are summed into one "other" series.</summary>
    public const int MaxSeries = 8;

    /// <summary>Paul Tol's "muted" scheme, distinct for the common colour-vision deficiencies; grey is "other".</summary>
    internal static readonly string[] Palette = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255"];
    internal const string OtherColour = "#BBBBBB";

    private const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; padding: 24px 32px 48px; background: #fff; color: #1b1b1f;
               font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        header { border-bottom: 1px solid #d8d8de; margin-bottom: 24px; padding-bottom: 12px; }
        h1 { font-size: 24px; margin: 0 0 4px; word-break: break-all; }
        h2 { font-size: 17px; margin: 32px 0 8px; }
        .meta { color: #55555f; margin: 0; }
        .note { color: #55555f; margin: 4px 0 12px; }
        .empty { font-size: 16px; padding: 24px; background: #f4f4f7; border-radius: 6px; }
        .chart { overflow-x: auto; }
        svg { display: block; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        svg text { fill: #3a3a44; }
        svg .grid { stroke: #e3e3e8; stroke-width: 1; }
        svg .axis { stroke: #8a8a96; stroke-width: 1; }
        svg .bar:hover, svg .host-bar:hover { opacity: .75; }
        svg .host-bar { fill: #332288; }
        svg .up { fill: #117733; }
        svg .down { fill: #882255; }
        svg .new { fill: #0f5c9e; font-weight: 600; }
        svg .same { fill: #6b6b76; }
        ul.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
        ul.legend li { display: flex; align-items: center; gap: 6px; max-width: 100%; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; flex: none; }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; word-break: break-all; }
        table { border-collapse: collapse; margin-top: 8px; }
        th, td { padding: 4px 12px; border-bottom: 1px solid #e3e3e8; text-align: right; font-variant-numeric: tabular-nums; }
        th:first-child, td:first-child { text-align: left; }
        th { font-weight: 600; border-bottom: 2px solid #c8c8d0; }
        footer { margin-top: 40px; color: #8a8a96; font-size: 12px; }
        """;

    /// <summary>
    /// Writes the page of <paramref name="trend"/> for the job <paramref name="jobName"/> to <paramref name="output"/>,
    /// stamped <paramref name="generatedAt"/> (shown in UTC unless its kind is unspecified). A job without complete
    /// runs gets a page saying so.
    /// </summary>
    public static void Write(JobTrend trend, string jobName, TextWriter output, DateTime generatedAt)
    {
        ArgumentNullException.ThrowIfNull(trend);
        ArgumentNullException.ThrowIfNull(jobName);
        ArgumentNullException.ThrowIfNull(output);
        var w = new StringBuilder(16 * 1024);
        var name = Escape(jobName);
        w.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<title>").Append(name).Append(" · crawlgrep job report</title>\n")
         .Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");

        w.Append("<header>\n<h1>").Append(name).Append("</h1>\n<p class=\"meta\">");
        if (trend.Crawls.Count == 0) w.Append("No crawls covered yet");
        else
        {
            w.Append(Count(trend.Crawls.Count, "complete crawl")).Append(": ").Append(Escape(trend.Crawls[0].Crawl));
            if (trend.Crawls.Count > 1) w.Append(" to ").Append(Escape(trend.Crawls[^1].Crawl));
        }
        w.Append(" · generated ").Append(Time(generatedAt)).Append("</p>\n</header>\n<main>\n");

        if (trend.Crawls.Count == 0)
        {
            w.Append("<p class=\"empty\">This job has no complete runs yet: nothing to chart. ")
             .Append("Its hits appear here once a run of its current version has finished a crawl.</p>\n");
        }
        else
        {
            WriteCrawlChart(trend, w);
            WriteHostChart(trend, w);
            WriteRunTable(trend, w);
        }
        w.Append("</main>\n<footer>Made by crawlgrep from the job's complete runs of its current version.</footer>\n</body>\n</html>\n");
        output.Write(w.ToString());
        output.Flush();
    }

    // ---- chart 1: hits per crawl per pattern ----

    private sealed record Series(string Label, string Colour, Func<JobTrendCrawl, long> Hits);

    /// <summary>The patterns drawn: the <see cref="MaxSeries"/> with most hits overall (in the job's order), then "other".</summary>
    private static List<Series> SeriesOf(JobTrend trend)
    {
        var totals = trend.Patterns.ToDictionary(p => p, p => trend.Crawls.Sum(c => c.HitsOf(p)), StringComparer.Ordinal);
        var kept = trend.Patterns.Count <= MaxSeries
            ? trend.Patterns.ToList()
            : trend.Patterns.Select((p, i) => (p, i)).OrderByDescending(x => totals[x.p]).ThenBy(x => x.i).Take(MaxSeries)
                .OrderBy(x => x.i).Select(x => x.p).ToList();
        var series = kept.Select((p, i) => new Series(p, Palette[i], c => c.HitsOf(p))).ToList();
        var rest = trend.Patterns.Except(kept, StringComparer.Ordinal).ToList();
        if (rest.Count > 0)
            series.Add(new Series($"other ({Count(rest.Count, "pattern")})", OtherColour, c => rest.Sum(c.HitsOf)));
        return series;
    }

    private static void WriteCrawlChart(JobTrend trend, StringBuilder w)
    {
        w.Append("<section>\n<h2>Hits per crawl</h2>\n");
        var series = SeriesOf(trend);
        if (series.Count == 0)
        {
            w.Append("<p class=\"note\">No hits in any crawl yet.</p>\n</section>\n");
            return;
        }
        var crawls = trend.Crawls;
        var max = crawls.SelectMany(c => series.Select(s => s.Hits(c))).DefaultIfEmpty(0).Max();
        var ticks = AxisTicks(max);
        var top = ticks[^1];

        double barWidth = series.Count <= 3 ? 18 : series.Count <= 6 ? 12 : 9;
        double groupGap = 16, groupWidth = series.Count * barWidth + groupGap;
        double left = 64, right = 16, plotTop = 26, plotHeight = 260;
        var labelPixels = crawls.Max(c => c.Crawl.Length) * 6.6;
        // A few crawls get groups wide enough for their labels; many get their labels turned.
        if (crawls.Count * (labelPixels + 12) <= 960) groupWidth = Math.Max(groupWidth, labelPixels + 12);
        var rotate = labelPixels > groupWidth - 6;
        double bottom = rotate ? labelPixels * 0.72 + 24 : 30;
        var plotWidth = crawls.Count * groupWidth;
        var width = Math.Max(320, left + plotWidth + right);
        var height = plotTop + plotHeight + bottom;

        w.Append("<div class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(N(width))
         .Append("\" height=\"").Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
         .Append("\" aria-label=\"Hits per crawl and pattern\">\n");
        foreach (var t in ticks)
        {
            var y = plotTop + plotHeight - plotHeight * t / (double)top;
            w.Append("<line class=\"grid\" x1=\"").Append(N(left)).Append("\" x2=\"").Append(N(left + plotWidth))
             .Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y)).Append("\"/>")
             .Append("<text class=\"tick\" x=\"").Append(N(left - 8)).Append("\" y=\"").Append(N(y + 4))
             .Append("\" text-anchor=\"end\">").Append(Number(t)).Append("</text>\n");
        }
        for (var i = 0; i < crawls.Count; i++)
        {
            var crawl = crawls[i];
            var x0 = left + i * groupWidth + (groupWidth - series.Count * barWidth) / 2;
            for (var s = 0; s < series.Count; s++)
            {
                var hits = series[s].Hits(crawl);
                var h = plotHeight * hits / (double)top;
                w.Append("<rect class=\"bar\" x=\"").Append(N(x0 + s * barWidth)).Append("\" y=\"").Append(N(plotTop + plotHeight - h))
                 .Append("\" width=\"").Append(N(barWidth - 1)).Append("\" height=\"").Append(N(h)).Append("\" fill=\"").Append(series[s].Colour)
                 .Append("\"><title>").Append(Escape(crawl.Crawl)).Append(" · ").Append(Escape(series[s].Label)).Append(": ")
                 .Append(Count(hits, "hit")).Append("</title></rect>\n");
            }
            var cx = left + i * groupWidth + groupWidth / 2;
            var ly = plotTop + plotHeight + 16;
            w.Append("<text class=\"crawl\" x=\"").Append(N(cx)).Append("\" y=\"").Append(N(ly)).Append('"');
            if (rotate) w.Append(" text-anchor=\"end\" transform=\"rotate(-45 ").Append(N(cx)).Append(' ').Append(N(ly - 4)).Append(")\"");
            else w.Append(" text-anchor=\"middle\"");
            w.Append('>').Append(Escape(crawl.Crawl)).Append("</text>\n");
        }
        w.Append("<line class=\"axis\" x1=\"").Append(N(left)).Append("\" x2=\"").Append(N(left + plotWidth)).Append("\" y1=\"")
         .Append(N(plotTop + plotHeight)).Append("\" y2=\"").Append(N(plotTop + plotHeight)).Append("\"/>\n")
         .Append("<text class=\"axis-title\" x=\"").Append(N(left - 8)).Append("\" y=\"12\" text-anchor=\"end\">hits</text>\n")
         .Append("</svg>\n</div>\n<ul class=\"legend\">\n");
        foreach (var s in series)
            w.Append("<li><span class=\"swatch\" style=\"background:").Append(s.Colour).Append("\"></span><code>")
             .Append(Escape(s.Label)).Append("</code></li>\n");
        w.Append("</ul>\n</section>\n");
    }

    /// <summary>
    /// Nice values for a count axis from 0 to at least <paramref name="max"/>: 4 or 5 of them, steps of 1, 2, 2.5 or 5
    /// times a power of ten (3 among the smallest), every one a whole number.
    /// </summary>
    public static IReadOnlyList<long> AxisTicks(long max)
    {
        var m = Math.Max(max, 3);
        long step = 1;
        foreach (var candidate in Steps())
        {
            step = candidate;
            if ((m + candidate - 1) / candidate <= 4) break;
        }
        var intervals = (m + step - 1) / step;
        var ticks = new List<long>();
        for (long i = 0; i <= intervals; i++) ticks.Add(i * step);
        return ticks;

        static IEnumerable<long> Steps()
        {
            yield return 1;
            yield return 2;
            yield return 3;
            for (long scale = 1; scale <= long.MaxValue / 100; scale *= 10)
            {
                yield return 5 * scale;
                yield return 10 * scale;
                yield return 20 * scale;
                yield return 25 * scale;
            }
        }
    }

    // ---- chart 2: top hosts of the latest crawl ----

    private static void WriteHostChart(JobTrend trend, StringBuilder w)
    {
        var latest = trend.Latest!;
        var previous = trend.Previous;
        w.Append("<section>\n<h2>Top hosts in ").Append(Escape(latest.Crawl)).Append("</h2>\n<p class=\"note\">");
        w.Append(previous is null
            ? "Hits per host in the latest crawl (the job has no earlier crawl to compare with)."
            : $"Hits per host in the latest crawl, against {Escape(previous.Crawl)}.");
        w.Append("</p>\n");
        var hosts = trend.TopHosts;
        if (hosts.Count == 0)
        {
            w.Append("<p class=\"note\">No hits with a host in this crawl.</p>\n</section>\n");
            return;
        }
        const double labelWidth = 230, barMax = 420, rowHeight = 22, textWidth = 210, topPad = 4;
        var width = labelWidth + barMax + textWidth;
        var height = topPad * 2 + hosts.Count * rowHeight;
        var max = Math.Max(1, hosts.Max(h => h.Hits));
        w.Append("<div class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(N(width))
         .Append("\" height=\"").Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
         .Append("\" aria-label=\"Top hosts of the latest crawl\">\n");
        for (var i = 0; i < hosts.Count; i++)
        {
            var h = hosts[i];
            var y = topPad + i * rowHeight;
            var barWidth = Math.Max(1, barMax * h.Hits / (double)max);
            var shown = h.Host.Length > 36 ? h.Host[..35] + "…" : h.Host;
            w.Append("<text class=\"host\" x=\"").Append(N(labelWidth - 8)).Append("\" y=\"").Append(N(y + 15))
             .Append("\" text-anchor=\"end\">").Append(Escape(shown)).Append("</text>")
             .Append("<rect class=\"host-bar\" x=\"").Append(N(labelWidth)).Append("\" y=\"").Append(N(y + 4))
             .Append("\" width=\"").Append(N(barWidth)).Append("\" height=\"14\"><title>").Append(Escape(h.Host)).Append(": ")
             .Append(Count(h.Hits, "hit")).Append(" in ").Append(Escape(latest.Crawl));
            if (previous is not null) w.Append(", ").Append(Number(h.PreviousHits ?? 0)).Append(" in ").Append(Escape(previous.Crawl));
            w.Append("</title></rect>")
             .Append("<text class=\"count\" x=\"").Append(N(labelWidth + barWidth + 6)).Append("\" y=\"").Append(N(y + 15)).Append("\">")
             .Append(Number(h.Hits));
            if (previous is not null)
            {
                var (cls, delta) = Delta(h);
                w.Append("<tspan class=\"prev\" dx=\"8\">prev ").Append(h.PreviousHits is { } p ? Number(p) : "0").Append("</tspan>")
                 .Append("<tspan class=\"").Append(cls).Append("\" dx=\"8\">").Append(delta).Append("</tspan>");
            }
            w.Append("</text>\n");
        }
        w.Append("</svg>\n</div>\n</section>\n");
    }

    /// <summary>The change of a host against the previous crawl: its class and text (▲ +N, ▼ −N, ±0, new).</summary>
    private static (string Class, string Text) Delta(JobTrendHost h)
    {
        if (h.PreviousHits is not { } previous) return ("new", "new");
        var change = h.Hits - previous;
        return change > 0 ? ("up", "▲ +" + Number(change))
            : change < 0 ? ("down", "▼ −" + Number(-change))
            : ("same", "±0");
    }

    // ---- the runs ----

    private static void WriteRunTable(JobTrend trend, StringBuilder w)
    {
        w.Append("<section>\n<h2>Runs</h2>\n<p class=\"note\">One complete run per crawl. Records: records with at least one hit; ")
         .Append("hosts: their distinct hosts; records scanned: all the records the run read.</p>\n<table>\n")
         .Append("<thead><tr><th>crawl</th><th>run</th><th>hits</th><th>records</th><th>hosts</th><th>records scanned</th></tr></thead>\n<tbody>\n");
        foreach (var c in trend.Crawls)
            w.Append("<tr><td>").Append(Escape(c.Crawl)).Append("</td><td>").Append(c.RunId.ToString(CultureInfo.InvariantCulture))
             .Append("</td><td>").Append(Number(c.Hits)).Append("</td><td>").Append(Number(c.Records))
             .Append("</td><td>").Append(Number(c.Hosts)).Append("</td><td>").Append(c.RecordsScanned is { } r ? Number(r) : "—")
             .Append("</td></tr>\n");
        w.Append("</tbody>\n</table>\n</section>\n");
    }

    // ---- text ----

    /// <summary>
    /// Text from the data made safe in HTML content and attribute values: <c>&amp; &lt; &gt; " '</c> escaped, control
    /// characters (not allowed in HTML) replaced by U+FFFD, tab and line ends kept.
    /// </summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                default: sb.Append(char.IsControl(c) ? '\uFFFD' : c); break;
            }
        }
        return sb.ToString();
    }

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(long n, string noun) => $"{Number(n)} {noun}{(n == 1 ? "" : "s")}";

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Time(DateTime t)
    {
        if (t.Kind == DateTimeKind.Unspecified)
            return $"<time datetime=\"{t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}\">{t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</time>";
        var utc = t.ToUniversalTime();
        return $"<time datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">{utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>";
    }
}
