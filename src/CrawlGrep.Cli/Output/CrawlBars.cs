using System.Globalization;
using System.Text;
using CrawlGrep.Core.Jobs;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// Hits per crawl as terminal bars, one line per crawl: the crawl id padded, a bar scaled to the largest count, then
/// the count with thousands separators:
/// <code>
/// CC-MAIN-2024-30  ████████████████████▌                      1,024
/// CC-MAIN-2024-33  ████████████████████████████████████████   2,000
/// </code>
/// Bars are drawn in full blocks and eighths (<c>▏▎▍▌▋▊▉</c>), or in <c>#</c> when the terminal cannot show them.
/// </summary>
public static class CrawlBars
{
    /// <summary>The width of the longest bar, in characters, unless told.</summary>
    public const int DefaultWidth = 40;

    private const char Full = '█';
    private const string Eighths = "▏▎▍▌▋▊▉"; // 1/8 .. 7/8
    private const char AsciiBar = '#';

    /// <summary>
    /// One line per entry of <paramref name="counts"/>, in the order given. The largest count gets a bar of
    /// <paramref name="width"/> characters; any count above zero shows at least the smallest mark; zero shows no bar
    /// and <c>0</c>. <paramref name="ascii"/>: bars of <c>#</c> in whole characters (for a console not in UTF-8).
    /// </summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<(string Crawl, long Hits)> counts, int width = DefaultWidth, bool ascii = false)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (counts.Count == 0) return [];
        var max = counts.Max(c => Math.Max(0, c.Hits));
        var labelWidth = counts.Max(c => c.Crawl.Length);
        var numbers = counts.Select(c => Math.Max(0, c.Hits).ToString("N0", CultureInfo.InvariantCulture)).ToList();
        var numberWidth = numbers.Max(n => n.Length);
        var lines = new List<string>(counts.Count);
        for (var i = 0; i < counts.Count; i++)
        {
            var bar = Bar(Math.Max(0, counts[i].Hits), max, width, ascii);
            lines.Add($"{counts[i].Crawl.PadRight(labelWidth)}  {bar.PadRight(width)}  {numbers[i].PadLeft(numberWidth)}");
        }
        return lines;
    }

    /// <summary>The hits of each crawl of <paramref name="trend"/>, oldest first (no lines for a job without complete runs).</summary>
    public static IReadOnlyList<string> Render(JobTrend trend, int width = DefaultWidth, bool ascii = false)
    {
        ArgumentNullException.ThrowIfNull(trend);
        return Render(trend.Crawls.Select(c => (c.Crawl, c.Hits)).ToList(), width, ascii);
    }

    /// <summary>The bar of <paramref name="count"/> out of <paramref name="max"/> over <paramref name="width"/> characters.</summary>
    public static string Bar(long count, long max, int width, bool ascii)
    {
        if (count <= 0 || max <= 0) return "";
        if (ascii)
        {
            var chars = (int)Math.Round((double)count * width / max, MidpointRounding.AwayFromZero);
            return new string(AsciiBar, Math.Clamp(chars, 1, width));
        }
        var eighths = (long)Math.Round((double)count * width * 8 / max, MidpointRounding.AwayFromZero);
        eighths = Math.Clamp(eighths, 1, (long)width * 8);
        var sb = new StringBuilder((int)(eighths / 8) + 1);
        sb.Append(Full, (int)(eighths / 8));
        if (eighths % 8 != 0) sb.Append(Eighths[(int)(eighths % 8) - 1]);
        return sb.ToString();
    }
}
