using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Planning.Index;

public sealed class ColumnarIndexWriterTests(ITestOutputHelper output)
{
    /// <summary>
    /// A genuine capture (CC-MAIN-2024-22, the record of the whirlwind samples) as CC's CDX index lists it, and the
    /// row CC's columnar index holds for it.
    /// </summary>
    private const string WhirlwindCdx =
        "org,wikipedia,an)/wiki/escopete 20240518015810 {\"url\": \"https://an.wikipedia.org/wiki/Escopete\", \"mime\": \"text/html\", " +
        "\"mime-detected\": \"text/html\", \"status\": \"200\", \"digest\": \"RY7PLBUFQNI2FFV5FTUQK72W6SNPXLQU\", \"length\": \"17423\", " +
        "\"offset\": \"80610731\", \"filename\": \"crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/CC-MAIN-20240517233122-20240518023122-00000.warc.gz\", " +
        "\"charset\": \"UTF-8\", \"languages\": \"spa\"}";

    private static readonly Dictionary<string, object?> WhirlwindRow = new()
    {
        ["url_surtkey"] = "org,wikipedia,an)/wiki/escopete",
        ["url"] = "https://an.wikipedia.org/wiki/Escopete",
        ["url_host_name"] = "an.wikipedia.org",
        ["url_host_tld"] = "org",
        ["url_host_2nd_last_part"] = "wikipedia",
        ["url_host_3rd_last_part"] = "an",
        ["url_host_4th_last_part"] = null,
        ["url_host_5th_last_part"] = null,
        ["url_host_registry_suffix"] = "org",
        ["url_host_registered_domain"] = "wikipedia.org",
        ["url_host_private_suffix"] = "org",
        ["url_host_private_domain"] = "wikipedia.org",
        ["url_host_name_reversed"] = "org.wikipedia.an",
        ["url_protocol"] = "https",
        ["url_port"] = null,
        ["url_path"] = "/wiki/Escopete",
        ["url_query"] = null,
        ["fetch_time_ms"] = new DateTimeOffset(2024, 5, 18, 1, 58, 10, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ["fetch_status"] = (short)200,
        ["fetch_redirect"] = null,
        ["content_digest"] = "RY7PLBUFQNI2FFV5FTUQK72W6SNPXLQU",
        ["content_mime_type"] = "text/html",
        ["content_mime_detected"] = "text/html",
        ["content_charset"] = "UTF-8",
        ["content_languages"] = "spa",
        ["content_truncated"] = null,
        ["warc_filename"] = "crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/CC-MAIN-20240517233122-20240518023122-00000.warc.gz",
        ["warc_record_offset"] = 80610731,
        ["warc_record_length"] = 17423,
        ["warc_segment"] = "1715971057216.39",
    };

    /// <summary>The file's columns, fetch_time as epoch milliseconds (independent of the session's time zone).</summary>
    private static List<Dictionary<string, object?>> Rows(string parquet) =>
        DuckDbRows.Query($"SELECT * EXCLUDE (fetch_time), epoch_ms(fetch_time) AS fetch_time_ms FROM read_parquet({DuckDbRows.Literal(parquet)})");

    [Fact]
    public void A_cdx_record_gives_the_row_common_crawls_index_holds_for_it()
    {
        using var dir = new TempDir();
        string parquet = dir.File("whirlwind.parquet");
        Assert.Equal(1, ColumnarIndexWriter.Write([CdxLine.Parse(WhirlwindCdx)], parquet));
        var row = Assert.Single(Rows(parquet));
        Assert.Equal(WhirlwindRow.OrderBy(c => c.Key), row.OrderBy(c => c.Key));
        Assert.Equal(ColumnarIndexSchema.Columns.Select(c => (c.Name, c.DuckDbType)),
            DuckDbRows.Describe($"SELECT * FROM read_parquet({DuckDbRows.Literal(parquet)})"));
    }

    [Fact]
    public void The_real_cdx_lines_become_rows_sorted_by_their_keys()
    {
        if (RealCdx.Lines(RealCdx.IndexSnippet, output) is not { } index || RealCdx.Lines(RealCdx.ApiResponse, output) is not { } api) return;
        using var dir = new TempDir();
        string parquet = dir.File("real.parquet");
        var records = index.Concat(api).Select(l => CdxLine.Parse(l)).ToList();
        Assert.Equal(1385, ColumnarIndexWriter.Write(records, parquet));
        var rows = Rows(parquet);
        Assert.Equal(records.Select(r => r.UrlKey).Order(StringComparer.Ordinal), rows.Select(r => (string)r["url_surtkey"]!));

        var blog = rows.Single(r => (string)r["url"]! == records[0].Url);
        Assert.Equal(("com", "blogspot", "learningenglish-esl", null), ((string?)blog["url_host_tld"], (string?)blog["url_host_2nd_last_part"],
            (string?)blog["url_host_3rd_last_part"], (string?)blog["url_host_4th_last_part"]));
        Assert.Equal(("com", "blogspot.com", "blogspot.com", "learningenglish-esl.blogspot.com"), ((string?)blog["url_host_registry_suffix"],
            (string?)blog["url_host_registered_domain"], (string?)blog["url_host_private_suffix"], (string?)blog["url_host_private_domain"]));
        Assert.Equal(("1634323588341.58", "eng,spa", "UTF-8"), ((string?)blog["warc_segment"], (string?)blog["content_languages"], (string?)blog["content_charset"]));

        var redirect = rows.Single(r => (string)r["url"]! == records.First(x => x.Redirect is not null).Url);
        Assert.Equal((short)301, redirect["fetch_status"]);
        Assert.StartsWith("https://www.berlin.de/ba-lichtenberg/politik-und-verwaltung/", (string)redirect["fetch_redirect"]!);
        Assert.Equal(324, rows.Count(r => (string?)r["content_truncated"] == "length"));
        Assert.Equal(records.Select(r => r.Offset).Order(), rows.Select(r => (long)(int)r["warc_record_offset"]!).Order());
    }

    [Fact]
    public void A_file_outside_crawl_data_needs_a_segment()
    {
        using var dir = new TempDir();
        var record = CdxLine.Parse(WhirlwindCdx) with { Filename = "local.warc.gz" };
        Assert.Throws<ArgumentException>(() => ColumnarIndexWriter.Write([record], dir.File("a.parquet")));
        ColumnarIndexWriter.Write([record], dir.File("b.parquet"), segment: "1715971057216.39");
        Assert.Equal("1715971057216.39", Assert.Single(Rows(dir.File("b.parquet")))["warc_segment"]);
    }
}
