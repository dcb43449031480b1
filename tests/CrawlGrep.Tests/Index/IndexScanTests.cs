using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using Xunit;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// Index-guided scans end to end, on a generated crawl in a local Common Crawl layout: the records an index selects
/// give exactly the hits a full scan of the same file gives in those records, and nothing else; mistakes are one line.
/// </summary>
public sealed class IndexScanTests
{
    public static TheoryData<string, string> Predicates => new()
    {
        { "gzip", "url_host_tld = 'de'" },
        { "gzip", "content_mime_type = 'text/html' AND url LIKE '%blog%'" },
        { "gzip", "fetch_status = 200 AND url_host_tld IN ('com', 'org') AND warc_record_length > 20000" },
        { "gzip", "url_host_registered_domain IS NOT NULL AND hash(url) % 100 = 7" },
        { "zstd", "url_host_tld = 'com'" },
        { "plain", "url_path LIKE '/20%'" },
    };

    [Theory]
    [MemberData(nameof(Predicates))]
    public void An_index_guided_scan_gives_the_full_scans_hits_in_the_selected_records(string compression, string predicate)
    {
        using var crawl = new IndexCrawl(compression);
        var full = crawl.Run(["--db", "full.duckdb", "-c", .. IndexCrawl.Patterns, crawl.Warc]);
        Assert.True(full.ExitCode == 0, full.Stderr);

        var guided = crawl.Run(["--db", "index.duckdb", "-c", .. crawl.CrawlFlags, "--where", predicate, .. IndexCrawl.Patterns]);
        Assert.True(guided.ExitCode is 0 or 1, guided.Stderr);

        var selected = crawl.Offsets(predicate);
        Assert.NotEmpty(selected);
        string db(string name) => Path.Combine(crawl.Root, name);
        var expected = IndexCrawl.Hits(db("full.duckdb"), $"record_offset IN ({string.Join(",", selected)})");
        Assert.Equal(expected, IndexCrawl.Hits(db("index.duckdb")));
        Assert.Equal(expected.Count > 0 ? 0 : 1, guided.ExitCode);

        // Fewer bytes read than the file has, by about the selection's share.
        long read = Convert.ToInt64(SqlRunner.Run(db("index.duckdb"), "SELECT sum(compressed_bytes)::BIGINT FROM tasks", readOnly: true).Rows[0][0]);
        long selectedBytes = crawl.SelectedBytes(predicate);
        Assert.True(read >= selectedBytes, $"read {read} bytes, the selected records have {selectedBytes}");
        Assert.True(read < new FileInfo(crawl.Warc).Length || selected.Count > crawl.Offsets("true").Count / 2, $"read {read} of {new FileInfo(crawl.Warc).Length}");
    }

    [Fact]
    public void Kept_index_columns_join_the_hits()
    {
        using var crawl = new IndexCrawl();
        var guided = crawl.Run(["--db", "index.duckdb", "-c", .. crawl.CrawlFlags, "--where", "url_host_tld IN ('com', 'de', 'org')",
            "--keep-index-columns", "url_host_tld,content_languages", "--keep-index-columns", "fetch_status", .. IndexCrawl.Patterns]);
        Assert.True(guided.ExitCode == 0, guided.Stderr);
        string db = Path.Combine(crawl.Root, "index.duckdb");
        var perTld = SqlRunner.Run(db, "SELECT r.url_host_tld, count(*) FROM hits h JOIN index_records r USING (scan_id, file, record_offset) GROUP BY 1 ORDER BY 1", readOnly: true).Rows;
        Assert.NotEmpty(perTld);
        Assert.All(perTld, r => Assert.Contains(r[0]?.ToString(), new[] { "com", "de", "org" }));
        Assert.Equal(Convert.ToInt64(SqlRunner.Run(db, "SELECT count(*) FROM hits", readOnly: true).Rows[0][0]), perTld.Sum(r => Convert.ToInt64(r[1])));
        Assert.Equal(crawl.Offsets("url_host_tld IN ('com', 'de', 'org')").Count,
            Convert.ToInt64(SqlRunner.Run(db, "SELECT count(*) FROM index_records WHERE fetch_status IS NOT NULL", readOnly: true).Rows[0][0]));
    }

    public static TheoryData<string[], int, string> Mistakes => new()
    {
        { ["--where", "url_host_tdl = 'no'"], 2, "unknown column \"url_host_tdl\"" },
        { ["--where", "url_host_tld = = 'no'"], 2, "--where url_host_tld = = 'no'" },
        { ["--where", "url_host_tld = 'no'", "--index", "nowhere"], 2, "no index for CC-MAIN-2024-22 at nowhere" },
        { ["--where", "url_host_tld = 'no'", "--keep-index-columns", "languages"], 2, "no column \"languages\"" },
        { ["--where", "url_host_tld = 'zz'"], 1, "no record" },
        { ["--where", "url_host_tld = 'no'", "--cdx", "example.com/*"], 2, "give one of them" },
        { ["--where", "url_host_tld = 'no'", "--type", "wet"], 2, "not wet files" },
        { ["--where", "url_host_tld = 'no'", "--index", "https://data.commoncrawl.org/cc-index/table/cc-main/warc/crawl=CC-MAIN-2024-22/subset=warc/"], 2, "--index FOLDER" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_bad_selection_is_one_line_and_an_empty_one_is_no_match(string[] flags, int exitCode, string said)
    {
        using var crawl = new IndexCrawl(size: "2M");
        var result = crawl.Run(["--db", "index.duckdb", "-c", .. crawl.CrawlFlags, .. flags, .. IndexCrawl.Patterns]);
        Assert.Equal(exitCode, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(said, lines[0]);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void A_plan_keeps_its_max_gap_for_a_resume_and_refuses_index_columns_it_cannot_carry()
    {
        using var crawl = new IndexCrawl(size: "2M");
        var planned = crawl.Run(["plan", .. crawl.CrawlFlags, "--where", "url_host_tld = 'com'", "--max-gap", "0", "--out", "plan.json", .. IndexCrawl.Patterns]);
        Assert.Equal(0, planned.ExitCode);
        var plan = ScanPlan.FromJson(File.ReadAllText(Path.Combine(crawl.Root, "plan.json")), "plan.json");
        Assert.Equal(0, plan.RecordGap);
        Assert.All(plan.Tasks, t => Assert.Equal(t.Records!.Count, t.Reads!.Count)); // no gap read across: a read per record

        var kept = crawl.Run(["plan", .. crawl.CrawlFlags, "--where", "url_host_tld = 'com'", "--keep-index-columns", "url_host_tld", "--out", "kept.json", .. IndexCrawl.Patterns]);
        Assert.Equal(2, kept.ExitCode);
        Assert.Contains("--keep-index-columns", Assert.Single(kept.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(Path.Combine(crawl.Root, "kept.json")));
    }
}
