using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CrawlGrep.Tests.Remote;

/// <summary>The fault proxy, in front of the ranged file server: each fault does what it says and nothing else.</summary>
public sealed class FaultProxyTests : IDisposable
{
    private const int Size = 1 << 20;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("crawlgrep-faultproxy-");
    private readonly byte[] _data = RemoteTestData.Bytes(Size, seed: 11);
    private readonly RangeFileServer _server;
    private readonly FaultProxy _proxy;
    private readonly HttpClient _http = new();

    public FaultProxyTests()
    {
        File.WriteAllBytes(Path.Combine(_root.FullName, "data.bin"), _data);
        _server = new RangeFileServer(_root.FullName);
        _proxy = new FaultProxy(_server.BaseUrl);
    }

    public void Dispose()
    {
        _http.Dispose();
        _proxy.Dispose();
        _server.Dispose();
        _root.Delete(recursive: true);
    }

    private string Url => _proxy.BaseUrl + "/data.bin";

    private async Task<(HttpStatusCode Status, byte[] Data, Exception? Error)> GetAsync(long from, long to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var (data, error) = await RemoteTestData.ReadAllAsync(body);
        return (response.StatusCode, data, error);
    }

    [Fact]
    public async Task NoFaults_ForwardsExactBytesAndCounts()
    {
        var (status, data, error) = await GetAsync(1000, 600_999);
        Assert.Null(error);
        Assert.Equal(HttpStatusCode.PartialContent, status);
        Assert.Equal(_data[1000..601_000], data);
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url));
        Assert.Equal(Size, head.Content.Headers.ContentLength);
        Assert.Equal(600_000, _proxy.BodyBytesSent);
        Assert.Equal(2, _proxy.Requests);
        Assert.Equal(0, _proxy.Faults);
        Assert.Equal(["GET /data.bin bytes=1000-600999", "HEAD /data.bin"], _proxy.RequestLines);
    }

    [Fact]
    public async Task Reset_CutsTheBodyShortWithAnError()
    {
        _proxy.Plan = new FaultPlan { ResetRate = 1, Seed = 3 };
        for (int i = 0; i < 3; i++)
        {
            var (status, data, error) = await GetAsync(0, Size - 1);
            Assert.Equal(HttpStatusCode.PartialContent, status);
            Assert.NotNull(error);
            Assert.True(data.Length < Size, $"read {data.Length} of {Size} bytes");
            Assert.Equal(_data[..data.Length], data); // what did arrive is right
        }
        Assert.Equal(3, _proxy.Faults);
        Assert.True(_proxy.BodyBytesSent < 3L * Size);
    }

    [Fact]
    public async Task Truncate_EndsTheBodyBeforeContentLength()
    {
        _proxy.Plan = new FaultPlan { TruncateRate = 1, Seed = 5 };
        var (_, data, error) = await GetAsync(0, Size - 1);
        // A clean close short of Content-Length: HttpClient reports the premature end.
        Assert.NotNull(error);
        Assert.True(data.Length < Size, $"read {data.Length} of {Size} bytes");
        Assert.Equal(_data[..data.Length], data);
        Assert.Equal(data.Length, _proxy.BodyBytesSent);
        Assert.Equal(1, _proxy.Faults);
    }

    [Fact]
    public async Task Fail503First_FailsTheFirstRequestsThenPasses()
    {
        _proxy.Plan = new FaultPlan { Fail503First = 2 };
        for (int i = 0; i < 2; i++)
        {
            using var failed = await _http.GetAsync(Url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("application/xml", failed.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<Code>SlowDown</Code>", await failed.Content.ReadAsStringAsync());
        }
        var (status, data, error) = await GetAsync(0, 99);
        Assert.Null(error);
        Assert.Equal(HttpStatusCode.PartialContent, status);
        Assert.Equal(_data[..100], data);
        Assert.Equal(3, _proxy.Requests);
        Assert.Equal(2, _proxy.Faults);
        Assert.Equal(1, _server.Requests); // the 503s never reached the server
    }

    [Fact]
    public async Task Slow_StallsThenDeliversEverything()
    {
        _proxy.Plan = new FaultPlan { SlowRate = 1, SlowDelay = TimeSpan.FromMilliseconds(400) };
        var clock = Stopwatch.StartNew();
        var (_, data, error) = await GetAsync(0, Size - 1);
        Assert.Null(error);
        Assert.Equal(_data, data);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), $"took {clock.Elapsed}");
        Assert.Equal(1, _proxy.Faults);
    }

    [Fact]
    public async Task AlwaysFail_FailsOnlyMatchingTargets_WithTheChosenStatus()
    {
        File.WriteAllBytes(Path.Combine(_root.FullName, "bad.bin"), [1, 2, 3]);
        _proxy.Plan = new FaultPlan { AlwaysFail = target => target.StartsWith("/bad", StringComparison.Ordinal), AlwaysFailStatus = 500 };
        for (int i = 0; i < 3; i++)
        {
            using var bad = await _http.GetAsync(_proxy.BaseUrl + "/bad.bin");
            Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        }
        using var good = await _http.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(_data, await good.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadAndMissingPassUntouched_EvenUnderFaults()
    {
        _proxy.Plan = new FaultPlan { Fail503Rate = 1, ResetRate = 1 };
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Size, head.Content.Headers.ContentLength);
        _proxy.Plan = FaultPlan.None;
        using var missing = await _http.GetAsync(_proxy.BaseUrl + "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, _proxy.Faults);
    }

    [Fact]
    public async Task ConcurrentConnections_WithRandomFaults_NeverCorruptWhatArrives()
    {
        _proxy.Plan = new FaultPlan { ResetRate = 0.3, TruncateRate = 0.2, Fail503Rate = 0.1, Seed = 42 };
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            // Separate clients: separate client connections to the proxy.
            using var http = new HttpClient();
            long from = i * 50_000L, to = from + 99_999;
            using var request = new HttpRequestMessage(HttpMethod.Get, Url);
            request.Headers.Range = new RangeHeaderValue(from, to);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return 0;
            var (data, _) = await RemoteTestData.ReadAllAsync(await response.Content.ReadAsStreamAsync());
            Assert.Equal(_data[(int)from..(int)(from + data.Length)], data);
            return data.Length;
        }).ToArray();
        await Task.WhenAll(tasks);
        Assert.Equal(16, _proxy.Requests);
        Assert.InRange(_proxy.Faults, 1, 16);
    }
}
