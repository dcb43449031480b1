using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Planning.Index;

public sealed class CdxLineTests(ITestOutputHelper output)
{
    [Fact]
    public void The_real_index_lines_parse_into_their_fields()
    {
        if (RealCdx.Lines(RealCdx.IndexSnippet, output) is not { } lines) return;
        var records = CdxLine.ReadAll(new StringReader(string.Join('\n', lines))).ToList();
        Assert.Equal(100, records.Count);
        Assert.Equal(new CdxRecord
        {
            UrlKey = "com,blogspot,learningenglish-esl)/2010/08/billy-goats-gruff-story-masks.html",
            Timestamp = "20211028134649",
            Url = "https://learningenglish-esl.blogspot.com/2010/08/billy-goats-gruff-story-masks.html",
            Mime = "text/html",
            MimeDetected = "application/xhtml+xml",
            Status = 200,
            Digest = "E3SJNTPZTMI3MYV3TIAHLPG4L4MZFHT5",
            Length = 16898,
            Offset = 469631771,
            Filename = "crawl-data/CC-MAIN-2021-43/segments/1634323588341.58/warc/CC-MAIN-20211028131628-20211028161628-00591.warc.gz",
            Charset = "UTF-8",
            Languages = "eng,spa",
        }, records[0]);
        Assert.Equal(new DateTime(2021, 10, 28, 13, 46, 49, DateTimeKind.Utc), records[0].FetchTime);
        Assert.Equal(DateTimeKind.Utc, records[0].FetchTime!.Value.Kind);
        var last = records[^1];
        Assert.Equal("com,blogspot,learningenglish-esl)/2010/12/playdough-christmas-crafts.html", last.UrlKey);
        Assert.Equal("20211024235806", last.Timestamp);
        Assert.Equal(15309, last.Length);
        Assert.Equal(462928963, last.Offset);
        Assert.Equal("crawl-data/CC-MAIN-2021-43/segments/1634323587608.86/warc/CC-MAIN-20211024235512-20211025025512-00092.warc.gz", last.Filename);
        Assert.Equal(("UTF-8", "eng,spa"), (last.Charset, last.Languages));
    }

    [Fact]
    public void The_real_api_answer_parses_with_truncation_and_redirects()
    {
        if (RealCdx.Lines(RealCdx.ApiResponse, output) is not { } lines) return;
        var records = lines.Select((l, i) => CdxLine.Parse(l, i + 1)).ToList();
        Assert.Equal(1285, records.Count);
        Assert.Equal(new CdxRecord
        {
            UrlKey = "de,berlin)/aufarbeitung/beratung/haertefallfonds/richtlinie-hff.pdf",
            Timestamp = "20211026213821",
            Url = "https://www.berlin.de/aufarbeitung/beratung/haertefallfonds/richtlinie-hff.pdf",
            Mime = "application/pdf",
            MimeDetected = "application/pdf",
            Status = 200,
            Digest = "GGL2NAQQI7KV5JAHBUD6GX6FGWVCOBCC",
            Length = 203813,
            Offset = 824104371,
            Filename = "crawl-data/CC-MAIN-2021-43/segments/1634323587926.9/warc/CC-MAIN-20211026200738-20211026230738-00555.warc.gz",
        }, records[0]);
        Assert.Equal("length", records[1].Truncated);
        Assert.Equal(1008815, records[1].Length);

        var redirect = records[187]; // line 188
        Assert.Equal(301, redirect.Status);
        Assert.Equal("https://www.berlin.de/ba-lichtenberg/politik-und-verwaltung/bezirksverordnetenversammlung/online/___tmp/tmp/45081036727995279/727995279/00105781/81.pdf?", redirect.Redirect);
        Assert.Equal(755, redirect.Length);
        Assert.Contains("/crawldiagnostics/", redirect.Filename);

        var last = records[^1];
        Assert.Equal("https://www.berlin.de/koordfm/_assets/themen/modellprojekte/gedanken-zu-sozialarbeitsocialdistancing.pdf", last.Url);
        Assert.Equal((644449L, 809157233L), (last.Length, last.Offset));
        Assert.Null(last.Charset);
        Assert.Null(last.Languages);

        Assert.Equal(324, records.Count(r => r.Truncated is not null));
        Assert.Equal(16, records.Count(r => r.Redirect is not null));
        Assert.All(records, r => Assert.StartsWith("crawl-data/CC-MAIN-2021-43/segments/", r.Filename));
    }

    [Fact]
    public void Formatting_a_real_line_gives_it_back_byte_for_byte()
    {
        if (RealCdx.Lines(RealCdx.IndexSnippet, output) is not { } index || RealCdx.Lines(RealCdx.ApiResponse, output) is not { } api) return;
        foreach (string line in index.Concat(api))
            Assert.Equal(line, CdxLine.Format(CdxLine.Parse(line)));
    }

    [Fact]
    public void A_json_line_of_the_server_reads_as_its_cdxj_line()
    {
        const string cdxj = "org,commoncrawl)/ 20150302032705 {\"url\": \"http://commoncrawl.org/\", \"mime\": \"text/html\", \"status\": \"200\", " +
                            "\"digest\": \"QE4UUUWUJWEZBBK6PUG3CHFAGEKDMDBZ\", \"length\": \"2526\", \"offset\": \"53235662\", " +
                            "\"filename\": \"crawl-data/CC-MAIN-2015-11/segments/1424936462700.28/warc/x.warc.gz\", \"encoding\": \"UTF-8\"}";
        const string json = "{\"urlkey\": \"org,commoncrawl)/\", \"timestamp\": \"20150302032705\", \"url\": \"http://commoncrawl.org/\", " +
                            "\"mime\": \"text/html\", \"status\": \"200\", \"digest\": \"QE4UUUWUJWEZBBK6PUG3CHFAGEKDMDBZ\", \"length\": \"2526\", " +
                            "\"offset\": \"53235662\", \"filename\": \"crawl-data/CC-MAIN-2015-11/segments/1424936462700.28/warc/x.warc.gz\", \"encoding\": \"UTF-8\"}";
        var record = CdxLine.Parse(json);
        Assert.Equal(CdxLine.Parse(cdxj), record);
        Assert.Equal("UTF-8", record.Charset); // newer answers name the charset "encoding"
        Assert.Equal(("org,commoncrawl)/", "20150302032705", 53235662L, 2526L), (record.UrlKey, record.Timestamp, record.Offset, record.Length));
    }

    [Fact]
    public void A_json_line_without_key_and_timestamp_still_selects_its_record()
    {
        var record = CdxLine.Parse("{\"url\": \"https://example.com/\", \"filename\": \"a.warc.gz\", \"offset\": 10, \"length\": \"20\"}");
        Assert.Null(record.UrlKey);
        Assert.Null(record.FetchTime);
        Assert.Equal(new SelectedRecord("s3://commoncrawl/a.warc.gz", 10, 20), record.ToSelectedRecord("s3://commoncrawl/"));
    }

    public const string Good = "com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"status\": \"200\", \"length\": \"17423\", \"offset\": \"80610731\", \"filename\": \"crawl-data/x.warc.gz\"}";

    [Theory]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"length\": \"17423\", \"offs", "cut short")]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"length\": \"17423\", \"filename\": \"a.warc.gz\"}", "no \"offset\"")]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"length\": \"17k\", \"offset\": \"1\", \"filename\": \"a\"}", "\"length\" is not a whole number: '17k'")]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"length\": \"1\", \"offset\": \"-5\", \"filename\": \"a\"}", "\"offset\" is not a whole number: '-5'")]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"https://example.com/\", \"status\": \"ok\", \"length\": \"1\", \"offset\": \"5\", \"filename\": \"a\"}", "\"status\" is not a whole number")]
    [InlineData("com,example)/ 2024051801 {\"url\": \"https://example.com/\", \"length\": \"1\", \"offset\": \"5\", \"filename\": \"a\"}", "timestamp '2024051801'")]
    [InlineData("com,example)/ 20241318015810 {\"url\": \"https://example.com/\", \"length\": \"1\", \"offset\": \"5\", \"filename\": \"a\"}", "timestamp '20241318015810'")]
    [InlineData("com,example)/ 20240518015810", "no JSON object")]
    [InlineData("com,example)/ 20240518015810 {\"url\": \"u\", \"length\": \"1\", \"offset\": \"5\", \"filename\": \"a\"} trailing", "text follows the JSON object")]
    [InlineData("com,example)/ 20240518015810 {\"url\" \"u\"}", "malformed")]
    [InlineData("just-a-word", "expected 'SURT TIMESTAMP {json}'")]
    public void A_malformed_line_names_its_number_and_fault(string line, string problem)
    {
        var e = Assert.Throws<CdxLineException>(() => CdxLine.Parse(line, 42));
        Assert.Equal(42, e.LineNumber);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith("line 42: ", e.Message);
    }

    [Fact]
    public void Reading_with_a_handler_skips_malformed_lines_and_reports_their_numbers()
    {
        string text = string.Join('\n', Good, "", "com,example)/ 20240518015810 {\"url\": \"x\"", Good.Replace("80610731", "eighty"), Good) + "\n";
        var faults = new List<CdxLineException>();
        var records = CdxLine.ReadAll(new StringReader(text), faults.Add).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal([3L, 4L], faults.Select(f => f.LineNumber));
        Assert.Throws<CdxLineException>(() => CdxLine.ReadAll(new StringReader(text)).ToList());
    }

    [Theory]
    [InlineData("s3://commoncrawl/")]
    [InlineData("https://data.commoncrawl.org")]
    [InlineData("mirror")]
    public void A_record_names_its_file_as_a_crawl_scan_does(string root)
    {
        var record = CdxLine.Parse(Good);
        var selected = record.ToSelectedRecord(root);
        Assert.Equal(CrawlCatalog.Join(root, "crawl-data/x.warc.gz"), selected.File);
        Assert.Equal((80610731L, 17423L, 80610731L + 17423L), (selected.Offset, selected.Length, selected.End));
    }

    [Fact]
    public void Formatting_escapes_as_common_crawl_does()
    {
        var record = CdxLine.Parse(Good) with { Url = "https://example.com/caf\u00e9?a=1&b=\"2\"", Redirect = "https://example.com/x" };
        string line = CdxLine.Format(record);
        Assert.Contains("\"url\": \"https://example.com/caf\\u00E9?a=1&b=\\\"2\\\"\"", line);
        Assert.EndsWith(", \"filename\": \"crawl-data/x.warc.gz\", \"redirect\": \"https://example.com/x\"}", line);
        Assert.Equal(record, CdxLine.Parse(line));
    }
}
