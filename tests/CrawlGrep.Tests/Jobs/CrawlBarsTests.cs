using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Jobs;

namespace CrawlGrep.Tests.Jobs;

public class CrawlBarsTests
{
    [Fact]
    public void Bars_scale_to_the_largest_count_and_align_their_counts()
    {
        var lines = CrawlBars.Render([("CC-MAIN-2024-30", 50), ("CC-MAIN-2024-33", 100), ("CC-MAIN-2024-38", 0)], width: 8);
        Assert.Equal(
        [
            "CC-MAIN-2024-30  ████" + new string(' ', 7) + "50",
            "CC-MAIN-2024-33  ████████  100",
            "CC-MAIN-2024-38" + new string(' ', 14) + "0",
        ], lines);
    }

    [Fact]
    public void Bars_end_in_eighths_and_a_count_above_zero_is_never_invisible()
    {
        Assert.Equal("▍", CrawlBars.Bar(3, 16, 2, ascii: false));
        Assert.Equal("█▍", CrawlBars.Bar(11, 16, 2, ascii: false));
        Assert.Equal("█▋", CrawlBars.Bar(13, 16, 2, ascii: false));
        Assert.Equal("██", CrawlBars.Bar(16, 16, 2, ascii: false));
        Assert.Equal("▏", CrawlBars.Bar(1, 1_000_000, 40, ascii: false));
        Assert.Equal("", CrawlBars.Bar(0, 10, 40, ascii: false));
        // Every eighth in turn: 1/8 .. 8/8 of one character.
        Assert.Equal(["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"], Enumerable.Range(1, 8).Select(n => CrawlBars.Bar(n, 8, 1, ascii: false)));
    }

    [Fact]
    public void Default_width_is_forty_and_counts_have_thousands_separators()
    {
        var lines = CrawlBars.Render([("a", 1_234_567), ("bb", 617_284)]);
        Assert.Equal("a   " + new string('█', 40) + "  1,234,567", lines[0]);
        Assert.Equal("bb  " + new string('█', 20) + new string(' ', 20) + "    617,284", lines[1]);
    }

    [Fact]
    public void Zero_everywhere_prints_empty_bars()
    {
        Assert.Equal(["x  " + new string(' ', 4) + "  0", "y  " + new string(' ', 4) + "  0"], CrawlBars.Render([("x", 0), ("y", 0)], width: 4));
        Assert.Empty(CrawlBars.Render(Array.Empty<(string, long)>()));
    }

    [Fact]
    public void Ascii_fallback_draws_whole_hashes()
    {
        var lines = CrawlBars.Render([("p", 100), ("q", 55), ("r", 1), ("s", 0)], width: 10, ascii: true);
        Assert.Equal(["p  ##########  100", "q  ######" + new string(' ', 7) + "55", "r  #" + new string(' ', 13) + "1", "s" + new string(' ', 16) + "0"], lines);
        Assert.All(lines, l => Assert.True(l.All(char.IsAscii)));
    }

    [Fact]
    public void A_trend_renders_its_crawls_oldest_first()
    {
        var trend = new JobTrend("j", [Crawl("CC-MAIN-2024-30", 2), Crawl("CC-MAIN-2024-33", 4)], ["p"], []);
        Assert.Equal(["CC-MAIN-2024-30  ██    2", "CC-MAIN-2024-33  ████  4"], CrawlBars.Render(trend, width: 4));
    }

    private static JobTrendCrawl Crawl(string crawl, long hits) =>
        new(crawl, 1, hits, hits, 1, null, new Dictionary<string, long> { ["p"] = hits });
}
