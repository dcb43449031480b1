using CrawlGrep.Core.Planning.Index;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Planning.Index;

public sealed class SurtKeyTests(ITestOutputHelper output)
{
    [Fact]
    public void The_keys_of_the_real_index_lines_are_the_keys_of_their_urls()
    {
        if (RealCdx.Lines(RealCdx.IndexSnippet, output) is not { } index || RealCdx.Lines(RealCdx.ApiResponse, output) is not { } api) return;
        var wrong = index.Concat(api).Select(l => CdxLine.Parse(l)).Where(r => SurtKey.Of(r.Url) != r.UrlKey)
            .Select(r => $"{r.Url} -> {SurtKey.Of(r.Url)}, CC: {r.UrlKey}").ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong.Take(10)));
    }

    [Theory]
    [InlineData("https://an.wikipedia.org/wiki/Escopete", "org,wikipedia,an)/wiki/escopete")]
    [InlineData("http://www.Example.com/", "com,example)/")]
    [InlineData("http://www2.example.com", "com,example)/")]
    [InlineData("https://example.com:443/a/", "com,example)/a")]
    [InlineData("http://example.com:8080/A/B/", "com,example:8080)/a/b")]
    [InlineData("http://example.com/blog/x?utm_source=feed&utm_medium=rss", "com,example)/blog/x?utm_medium=rss&utm_source=feed")]
    [InlineData("http://example.com/index.php?id=12&lang=de", "com,example)/index.php?id=12&lang=de")]
    [InlineData("http://example.com/a?", "com,example)/a")]
    [InlineData("http://example.com/a//b/./c/../d#frag", "com,example)/a/b/d")]
    [InlineData("http://example.com/wiki/Gr%C3%BC%C3%9Fe", "com,example)/wiki/gr%c3%bc%c3%9fe")]
    [InlineData("http://example.com/a%2Fb%3Fc", "com,example)/a/b?c")]
    [InlineData("http://user:pw@example.com/", "com,example)/")]
    [InlineData("http://5.129.42.10:81/udp/239.1.8.17:1234", "10,42,129,5:81)/udp/239.1.8.17:1234")]
    [InlineData("http://example.com/x?jsessionid=0123456789abcdef0123456789abcdef&a=1", "com,example)/x?a=1")]
    public void Urls_get_the_keys_common_crawl_gives_them(string url, string key) => Assert.Equal(key, SurtKey.Of(url));
}
