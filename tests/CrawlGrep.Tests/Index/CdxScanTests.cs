using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Results;
using Xunit;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// <c>--cdx</c> against a CDX server on 127.0.0.1 serving the generated crawl's CDX lines: pages, 503s and pages cut
/// off mid-body give the same records, and the hits are the full scan's in those records.
/// </summary>
public sealed class CdxScanTests
{
    [Theory]
    [InlineData("*.com", 0, 0)]
    [InlineData("*.com", 3, 2)]
    [InlineData("*.de", 1, 3)]
    public void A_cdx_selection_gives_the_full_scans_hits_in_its_records_through_throttling_and_broken_pages(string pattern, int throttled, int broken)
    {
        using var crawl = new IndexCrawl(size: "4M");
        var lines = crawl.CdxLines();
        using var server = new CdxServer(lines, pageSize: 9);
        crawl.WriteCollinfo(server.Endpoint(IndexCrawl.Crawl));
        var expectedOffsets = lines.Where(l => CdxServer.Matches(pattern, l.Url)).Select(l => CdxLine.Parse(l.Line).Offset).ToHashSet();
        Assert.True(expectedOffsets.Count > server.PageSize, "the selection should span several pages");

        var full = crawl.Run(["--db", "full.duckdb", "-c", .. IndexCrawl.Patterns, crawl.Warc]);
        Assert.True(full.ExitCode == 0, full.Stderr);
        server.Throttle = throttled;
        server.BreakPages = broken;
        var guided = crawl.Run(["--db", "cdx.duckdb", "-c", .. crawl.CrawlFlags, "--cdx", pattern, "--keep-index-columns", "url,fetch_status", .. IndexCrawl.Patterns]);
        Assert.True(guided.ExitCode == 0, guided.Stderr);

        string db(string name) => Path.Combine(crawl.Root, name);
        Assert.Equal(IndexCrawl.Hits(db("full.duckdb"), $"record_offset IN ({string.Join(",", expectedOffsets)})"), IndexCrawl.Hits(db("cdx.duckdb")));
        // Every record once, whatever was fetched twice.
        var kept = SqlRunner.Run(db("cdx.duckdb"), "SELECT record_offset FROM index_records", readOnly: true).Rows.Select(r => Convert.ToInt64(r[0])).ToList();
        Assert.Equal(expectedOffsets.Order(), kept.Order());
        int pages = (expectedOffsets.Count + server.PageSize - 1) / server.PageSize;
        Assert.Equal(1 + pages + throttled + broken, server.Requests);
    }

    [Fact]
    public void Cdx_filters_reach_the_server_and_narrow_the_records()
    {
        using var crawl = new IndexCrawl(size: "4M");
        var lines = crawl.CdxLines();
        using var server = new CdxServer(lines, pageSize: 50);
        crawl.WriteCollinfo(server.Endpoint(IndexCrawl.Crawl));
        var result = crawl.Run(["--db", "cdx.duckdb", "-c", .. crawl.CrawlFlags, "--cdx", "*.com", "--cdx-filter", "status:200", "--cdx-filter", "mime:text/html",
            "--keep-index-columns", "fetch_status,content_mime_type", .. IndexCrawl.Patterns]);
        Assert.True(result.ExitCode is 0 or 1, result.Stderr);
        var rows = SqlRunner.Run(Path.Combine(crawl.Root, "cdx.duckdb"), "SELECT DISTINCT fetch_status, content_mime_type FROM index_records", readOnly: true).Rows;
        Assert.Equal([["200", "text/html"]], rows.Select(r => new[] { r[0]?.ToString(), r[1]?.ToString() }).ToArray());
        int all = lines.Count(l => CdxServer.Matches("*.com", l.Url));
        int kept = Convert.ToInt32(SqlRunner.Run(Path.Combine(crawl.Root, "cdx.duckdb"), "SELECT count(*)::INTEGER FROM index_records", readOnly: true).Rows[0][0]);
        Assert.InRange(kept, 1, all - 1);
    }

    [Fact]
    public void A_server_that_keeps_failing_is_one_line_naming_it()
    {
        using var crawl = new IndexCrawl(size: "2M");
        using var server = new CdxServer(crawl.CdxLines());
        crawl.WriteCollinfo(server.Endpoint(IndexCrawl.Crawl));
        server.Throttle = 1000;
        var result = EndToEnd.Cli.Run(crawl.Root, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = Path.Combine(crawl.Root, "cache"), ["CRAWLGREP_RETRY_BASE_MS"] = "10" },
            ["--db", "cdx.duckdb", "-c", .. crawl.CrawlFlags, "--cdx", "*.com", .. IndexCrawl.Patterns]);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(server.Endpoint(IndexCrawl.Crawl), lines[0]);
        Assert.Contains("503", lines[0]);
    }
}
