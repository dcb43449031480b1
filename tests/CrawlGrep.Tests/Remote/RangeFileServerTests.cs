using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace CrawlGrep.Tests.Remote;

/// <summary>The ranged file server answers exactly what a ranged reader expects of an HTTP origin.</summary>
public sealed class RangeFileServerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("crawlgrep-rangefiles-");
    private readonly byte[] _data = RemoteTestData.Bytes(300_000, seed: 7);
    private readonly RangeFileServer _server;
    private readonly HttpClient _http = new();

    public RangeFileServerTests()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "sub dir"));
        File.WriteAllBytes(Path.Combine(_root.FullName, "sub dir", "data.bin"), _data);
        File.WriteAllBytes(Path.Combine(_root.FullName, "empty.bin"), []);
        _server = new RangeFileServer(_root.FullName);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _root.Delete(recursive: true);
    }

    private string DataUrl => _server.UrlOf("sub dir/data.bin");

    [Fact]
    public async Task WholeFile_ComesWithLengthEtagAndAcceptRanges()
    {
        using var response = await _http.GetAsync(DataUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_data, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(_data.Length, response.Content.Headers.ContentLength);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(RangeFileServer.ETagOf(new FileInfo(Path.Combine(_root.FullName, "sub dir", "data.bin"))), response.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 99)]
    [InlineData(12_345, 200_000)]
    [InlineData(299_999, 299_999)]
    [InlineData(250_000, 400_000)] // past the end: clamped to the last byte
    public async Task Range_ReturnsExactlyThoseBytes(long from, long to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, DataUrl);
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _http.SendAsync(request);
        long last = Math.Min(to, _data.Length - 1);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_data[(int)from..(int)(last + 1)], await response.Content.ReadAsByteArrayAsync());
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((from, last, _data.Length), (range.From, range.To, range.Length));
    }

    [Theory]
    [InlineData("bytes=299000-", 299_000, 1000)]
    [InlineData("bytes=-10", 299_990, 10)]
    public async Task OpenAndSuffixRanges(string header, int start, int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, DataUrl);
        request.Headers.TryAddWithoutValidation("Range", header);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_data.AsSpan(start, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RangePastTheEnd_Is416WithTheSize()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, DataUrl);
        request.Headers.Range = new RangeHeaderValue(300_000, null);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */300000", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("missing.bin")]
    [InlineData("sub%20dir")] // a folder
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("sub%20dir/..%2F..%2F..%2Fetc%2Fpasswd")]
    public async Task MissingFoldersAndEscapes_Are404(string path)
    {
        using var response = await _http.GetAsync(_server.BaseUrl + path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Head_GivesTheLengthWithoutABody()
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, DataUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_data.Length, response.Content.Headers.ContentLength);
        using var empty = await _http.GetAsync(_server.UrlOf("empty.bin"));
        Assert.Equal(0, empty.Content.Headers.ContentLength);
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task KeepAlive_ServesSeveralRequestsOnOneConnection()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.Port);
        var stream = tcp.GetStream();
        var reader = new HttpReader(stream);
        for (int i = 0; i < 3; i++)
        {
            string req = $"GET /sub%20dir/data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes={i * 10}-{i * 10 + 4}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(req));
            var head = await reader.ReadHeadAsync(CancellationToken.None);
            Assert.NotNull(head);
            Assert.Equal(206, head.Status);
            Assert.Equal(_data.AsSpan(i * 10, 5).ToArray(), await reader.ReadExactlyAsync(head.ContentLength!.Value, CancellationToken.None));
        }
        Assert.Equal(3, _server.Requests);
    }

    [Theory]
    [InlineData("bytes=0-9", 100L, 0L, 10L)]
    [InlineData("bytes=90-", 100L, 90L, 10L)]
    [InlineData("bytes=-200", 100L, 0L, 100L)]
    [InlineData("bytes=100-", 100L, -1L, 0L)]
    [InlineData("bytes=0-", 0L, -1L, 0L)]
    public void ParseRange_Satisfiable(string value, long size, long start, long length) =>
        Assert.Equal((start, length), RangeFileServer.ParseRange(value, size));

    [Theory]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=9-0")]
    [InlineData("bytes=x-")]
    public void ParseRange_MalformedIsIgnored(string value) =>
        Assert.Null(RangeFileServer.ParseRange(value, 100));
}
