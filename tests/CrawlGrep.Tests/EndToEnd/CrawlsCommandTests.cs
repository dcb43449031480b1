using System.Text.Json;
using CrawlGrep.Core.Planning;
using CrawlGrep.Tests.Planning;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary><c>crawlgrep crawls</c> over a local copy of Common Crawl's layout, as a real process.</summary>
public sealed class CrawlsCommandTests
{
    private static Cli.Result Crawls(CommonCrawlMirror cc, params string[] args) =>
        Cli.Run(cc.Root, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cc.Cache, [CrawlCatalog.RootVariable] = null, [CrawlCatalog.CollinfoVariable] = null },
            ["crawls", "--collinfo", cc.Collinfo, "--cc-root", cc.Root, .. args]);

    [Fact]
    public void Crawls_prints_every_crawl_newest_first_as_a_table_or_json()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var table = Crawls(cc);
        Assert.True(table.ExitCode == 0, table.Stderr);
        var lines = table.Lines;
        Assert.Equal(["id", "name", "from", "to"], lines[0].Split('|').Select(c => c.Trim()));
        Assert.Equal($"({cc.RealIds.Length} rows)", lines[^1]);
        var ids = lines[2..^1].Select(l => l.Split('|')[0].Trim()).ToArray();
        Assert.Equal(cc.RealIds, ids);
        string week = lines.Single(l => l.StartsWith(CommonCrawlMirror.Week + " ", StringComparison.Ordinal));
        Assert.Contains("August 2024 Index", week);
        Assert.Matches(@"\| 2024-08-\d\d \d\d:\d\d:\d\d \| 2024-08-\d\d \d\d:\d\d:\d\d$", week);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(cc.Cache, "crawlgrep"), "collinfo-*.json")); // cached under XDG_CACHE_HOME

        var json = Crawls(cc, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var rows = json.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(cc.RealIds, rows.Select(r => r.GetProperty("id").GetString()));
        var first = rows[0];
        Assert.Equal($"https://index.commoncrawl.org/{cc.Latest}-index", first.GetProperty("cdx-api").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", first.GetProperty("from").GetString());
    }

    [Fact]
    public void A_crawl_argument_prints_the_files_a_selection_picks()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        string segment = CommonCrawlMirror.SegmentIds(CommonCrawlMirror.Week)[0];
        var inSegment = Crawls(cc, "2024-33", "--type", "wet", "--segment", segment);
        Assert.True(inSegment.ExitCode == 0, inSegment.Stderr);
        var expected = CommonCrawlMirror.PathsOf(CommonCrawlMirror.Week, CrawlFileType.Wet).Where(p => p.Contains(segment)).Select(p => CrawlCatalog.Join(cc.Root, p));
        Assert.Equal(expected, inSegment.Lines);

        var sample = Crawls(cc, "latest", "--sample", "5", "--seed", "11");
        var again = Crawls(cc, "latest", "--sample", "5", "--seed", "11");
        Assert.Equal(5, sample.Lines.Length);
        Assert.Equal(sample.Lines, again.Lines);
        Assert.All(sample.Lines, l => Assert.Contains($"{cc.Latest}", l));
        Assert.Equal(sample.Lines.Take(2), Crawls(cc, "latest", "--sample", "5", "--seed", "11", "--files", "2").Lines);

        var json = Crawls(cc, "CC-MAIN-2024-33", "--files", "1", "--json");
        var row = JsonDocument.Parse(Assert.Single(json.Lines)).RootElement;
        Assert.Equal(CommonCrawlMirror.Week, row.GetProperty("crawl").GetString());
        Assert.Equal(expected.First().Replace("/wet/", "/warc/").Replace(".warc.wet.gz", ".warc.gz"), row.GetProperty("file").GetString());
    }

    [Theory]
    [InlineData("unknown crawl 'CC-MAIN-2024-34'", "CC-MAIN-2024-34")]
    [InlineData("has no segment '42'", "2024-33", "--segment", "42")]
    [InlineData("--segment selects files of a crawl", "--segment", "1")]
    [InlineData("--seed picks a --sample", "latest", "--seed", "3")]
    [InlineData("at least 1", "latest", "--files", "0")]
    public void A_bad_selection_is_one_line_on_stderr_and_exit_2(string message, params string[] args)
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var r = Crawls(cc, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("crawlgrep: crawls: ", line);
        Assert.Contains(message, line);
    }

    [Fact]
    public void Refresh_without_the_source_prints_the_cached_list_and_a_warning()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        Assert.Equal(0, Crawls(cc, "--json").ExitCode);
        File.Delete(cc.Collinfo);
        var r = Crawls(cc, "--json", "--refresh");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(cc.RealIds.Length, r.Lines.Length);
        Assert.StartsWith("crawlgrep: crawls: warning: cannot fetch the crawl list", r.Stderr);

        var noCache = Cli.Run(cc.Root, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = Path.Combine(cc.Root, "empty-cache") },
            "crawls", "--collinfo", cc.Collinfo);
        Assert.Equal(2, noCache.ExitCode);
        Assert.Contains(cc.Collinfo, noCache.Stderr);
    }
}
