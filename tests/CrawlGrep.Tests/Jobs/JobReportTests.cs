using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Jobs;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Jobs;

/// <summary>The job report page: self-contained, escaped, one bar per crawl and pattern, and what a browser makes of it.</summary>
public class JobReportTests(JobResultsFixture fixture, ITestOutputHelper output) : IClassFixture<JobResultsFixture>
{
    private static readonly DateTime Generated = new(2024, 9, 1, 12, 30, 0, DateTimeKind.Utc);

    private static string Page(JobTrend trend, string name = "trackers")
    {
        var w = new StringWriter();
        JobReportPage.Write(trend, name, w, Generated);
        return w.ToString();
    }

    private static int Count(string page, string text) => Regex.Matches(page, Regex.Escape(text)).Count;

    /// <summary>The page refers to nothing outside itself: the SVG namespace is its only URL.</summary>
    private static void AssertSelfContained(string page)
    {
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", page, StringComparison.OrdinalIgnoreCase);
        Assert.All(Regex.Matches(page, "http://[^\"'\\s<>]*", RegexOptions.IgnoreCase), m => Assert.Equal("http://www.w3.org/2000/svg", m.Value));
        foreach (var reference in new[] { "url(", "@import", "@font-face", "<link", "src=", "href=", "<iframe", "<img" })
            Assert.DoesNotContain(reference, page, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<meta charset=\"utf-8\">", page);
        Assert.Equal(1, Count(page, "<style>"));
        Assert.EndsWith("</html>\n", page);
    }

    [Fact]
    public void The_fixture_page_is_self_contained_with_a_bar_per_crawl_and_pattern()
    {
        var trend = JobTrend.Read(fixture.Db, JobResultsFixture.Job);
        var page = Page(trend);
        AssertSelfContained(page);
        Assert.Contains("<title>trackers · crawlgrep job report</title>", page);
        Assert.Contains("<h1>trackers</h1>", page);
        Assert.Contains("2 complete crawls: CC-MAIN-2024-30 to CC-MAIN-2024-33", page);
        Assert.Contains("2024-09-01 12:30 UTC", page);
        Assert.Equal(2, Count(page, "http://www.w3.org/2000/svg"));

        Assert.Equal(2 * 3, Count(page, "class=\"bar\""));
        Assert.DoesNotContain("rotate(", page); // two crawls: room for their labels
        Assert.Contains("<title>CC-MAIN-2024-33 · gtag: 7 hits</title>", page);
        Assert.Contains("<title>CC-MAIN-2024-30 · fbq: 1 hit</title>", page);
        Assert.Contains("<title>CC-MAIN-2024-30 · &lt;b&gt;&amp;&quot;x&quot;: 0 hits</title>", page);

        Assert.Equal(3, Count(page, "class=\"host-bar\""));
        Assert.Contains("<title>a.com: 1 hit in CC-MAIN-2024-33, 3 in CC-MAIN-2024-30</title>", page);
        Assert.Contains(">▼ −2</tspan>", page);
        Assert.Equal(2, Count(page, ">new</tspan>"));

        // The data's own markup never reaches the page raw.
        Assert.DoesNotContain(JobResultsFixture.Special, page);
        Assert.Contains("<code>&lt;b&gt;&amp;&quot;x&quot;</code>", page);

        // The runs table: crawl, run, hits, records, hosts, records scanned.
        Assert.Contains("<tr><td>CC-MAIN-2024-30</td><td>1</td><td>4</td><td>2</td><td>2</td><td>2,000</td></tr>", page);
        Assert.Contains("<tr><td>CC-MAIN-2024-33</td><td>2</td><td>8</td><td>4</td><td>3</td><td>4,000</td></tr>", page);
    }

    [Fact]
    public void Patterns_beyond_eight_are_one_other_series_and_hosts_are_escaped()
    {
        var patterns = Enumerable.Range(0, 10).Select(i => $"p{i}").ToList();
        patterns[9] = JobResultsFixture.Special;
        var crawls = Enumerable.Range(0, 12).Select(k => $"CC-MAIN-2024-{10 + 2 * k}").Select((c, k) => new JobTrendCrawl(c, k + 1, 0, 0, 0, null,
            patterns.Select((p, i) => (p, n: (long)((i + 1) * 10 + k))).ToDictionary(x => x.p, x => x.n))).ToList();
        const string host = "<evil>&\"host'";
        var trend = new JobTrend("many", crawls, patterns, [new JobTrendHost(host, 5, 9), new JobTrendHost("x.org", 4, 4)]);
        var page = Page(trend, "many <jobs>");
        AssertSelfContained(page);
        // The eight with most hits keep their colour (p2..p9); p0 and p1 are "other".
        Assert.Equal(12 * 9, Count(page, "class=\"bar\""));
        Assert.Contains("<code>other (2 patterns)</code>", page);
        Assert.Contains("<title>CC-MAIN-2024-14 · other (2 patterns): 34 hits</title>", page);
        Assert.DoesNotContain("<code>p0</code>", page);
        Assert.Contains("<code>p2</code>", page);
        Assert.Equal(9, Count(page, "class=\"swatch\""));
        Assert.Contains("<h1>many &lt;jobs&gt;</h1>", page);
        Assert.DoesNotContain(host, page);
        Assert.DoesNotContain(JobResultsFixture.Special, page);
        Assert.Contains("&lt;evil&gt;&amp;&quot;host&#39;", page);
        Assert.Equal(2, Count(page, "class=\"host-bar\""));
        Assert.Contains(">▼ −4</tspan>", page);
        Assert.Contains(">±0</tspan>", page);
        // Many crawls: their labels turn.
        Assert.Contains("rotate(-45", page);
    }

    [Fact]
    public void A_job_without_complete_runs_still_gets_a_page()
    {
        var page = Page(new JobTrend("fresh", [], [], []), "fresh");
        AssertSelfContained(page);
        Assert.Contains("<h1>fresh</h1>", page);
        Assert.Contains("no complete runs yet", page);
        Assert.Equal(0, Count(page, "class=\"bar\""));
        Assert.Equal(0, Count(page, "class=\"host-bar\""));
        Assert.DoesNotContain("<svg", page);
    }

    [Theory]
    [InlineData(0, new long[] { 0, 1, 2, 3 })]
    [InlineData(1, new long[] { 0, 1, 2, 3 })]
    [InlineData(4, new long[] { 0, 1, 2, 3, 4 })]
    [InlineData(7, new long[] { 0, 2, 4, 6, 8 })]
    [InlineData(9, new long[] { 0, 3, 6, 9 })]
    [InlineData(21, new long[] { 0, 10, 20, 30 })]
    [InlineData(100, new long[] { 0, 25, 50, 75, 100 })]
    [InlineData(1001, new long[] { 0, 500, 1000, 1500 })]
    [InlineData(1_234_567, new long[] { 0, 500_000, 1_000_000, 1_500_000 })]
    public void Axis_ticks_are_four_or_five_round_numbers_covering_the_largest(long max, long[] expected)
    {
        Assert.Equal(expected, JobReportPage.AxisTicks(max));
    }

    [Fact]
    public void Chromium_renders_the_page_with_its_bars_and_draws_it()
    {
        if (Chromium.Require(output) is not { } chromium) return;
        var trend = JobTrend.Read(fixture.Db, JobResultsFixture.Job);
        var page = Path.Combine(fixture.Folder, "trackers report.html");
        using (var file = new StreamWriter(page, false, new UTF8Encoding(false)))
            JobReportPage.Write(trend, "trackers", file, Generated);

        var dom = Chromium.DumpDom(chromium, page, fixture.Folder);
        Assert.Equal(6, Regex.Matches(dom, "<rect [^>]*class=\"bar\"").Count);
        Assert.Equal(3, Regex.Matches(dom, "<rect [^>]*class=\"host-bar\"").Count);
        Assert.Contains("<h1>trackers</h1>", dom);
        Assert.Contains("&lt;b&gt;&amp;\"x\"", dom); // parsed as text, serialized back escaped
        Assert.DoesNotContain("<b>&", dom);

        var blank = Path.Combine(fixture.Folder, "blank.html");
        File.WriteAllText(blank, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>");
        var reportPng = Path.Combine(fixture.Folder, "report.png");
        var blankPng = Path.Combine(fixture.Folder, "blank.png");
        Chromium.Screenshot(chromium, page, reportPng, fixture.Folder);
        Chromium.Screenshot(chromium, blank, blankPng, fixture.Folder);
        var (reportInk, width, height) = InkedPixels(reportPng);
        var (blankInk, _, _) = InkedPixels(blankPng);
        output.WriteLine($"screenshot {width}x{height}: {reportInk} pixels not white ({new FileInfo(reportPng).Length} bytes); blank page: {blankInk} ({new FileInfo(blankPng).Length} bytes)");
        Assert.Equal(0, blankInk);
        Assert.True(reportInk > 20_000, $"the report drew only {reportInk} pixels that are not white");
        Assert.True(new FileInfo(reportPng).Length > 4 * new FileInfo(blankPng).Length);
    }

    /// <summary>
    /// The pixels of a PNG (8-bit RGB or RGBA, not interlaced: what Chromium writes) that are not near white, and its
    /// size: the IDAT data inflated and unfiltered.
    /// </summary>
    private static (long Inked, int Width, int Height) InkedPixels(string png)
    {
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        for (var at = 8; at + 8 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            var type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]); // bit depth
                channels = data[9] switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"PNG colour type {data[9]}") };
                Assert.Equal(0, data[12]); // not interlaced
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.GetBuffer();
        var stride = width * channels;
        var previous = new byte[stride];
        var line = new byte[stride];
        long inked = 0;
        for (var y = 0; y < height; y++)
        {
            var offset = y * (stride + 1);
            var filter = raw[offset];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? line[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                int value = raw[offset + 1 + x];
                line[x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + (a + b) / 2,
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (var x = 0; x < stride; x += channels)
                if (line[x] < 230 || line[x + 1] < 230 || line[x + 2] < 230) inked++;
            (previous, line) = (line, previous);
        }
        return (inked, width, height);

        static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
