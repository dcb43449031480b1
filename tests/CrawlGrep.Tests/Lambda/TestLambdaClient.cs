using System.Net.Http.Headers;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The tests' caller of the emulated API: one signed request per call (an Invoke POST, or a GET of another
/// operation), nothing retried, so that each test sees exactly what the emulator answered.
/// </summary>
internal sealed class TestLambdaClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly LambdaEmulator _emulator;

    public TestLambdaClient(LambdaEmulator emulator, AwsKeys? keys = null)
    {
        _emulator = emulator;
        Keys = keys ?? emulator.Options.Callers[0];
    }

    public AwsKeys Keys { get; }

    public Task<HttpResponseMessage> InvokeAsync(string payload, bool tail = false, string? functionName = null, string? qualifier = null,
        AwsKeys? keys = null, Action<HttpRequestMessage>? beforeSigning = null, string invocationType = "RequestResponse") =>
        InvokeAsync(System.Text.Encoding.UTF8.GetBytes(payload), tail, functionName, qualifier, keys, beforeSigning, invocationType);

    public async Task<HttpResponseMessage> InvokeAsync(byte[] payload, bool tail = false, string? functionName = null, string? qualifier = null,
        AwsKeys? keys = null, Action<HttpRequestMessage>? beforeSigning = null, string invocationType = "RequestResponse")
    {
        string name = Uri.EscapeDataString(functionName ?? _emulator.Options.FunctionName);
        string url = $"{_emulator.Endpoint}/2015-03-31/functions/{name}/invocations" + (qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(qualifier)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", invocationType);
        if (tail) request.Headers.TryAddWithoutValidation("X-Amz-Log-Type", "Tail");
        beforeSigning?.Invoke(request);
        TestSigner.Sign(request, payload, keys ?? Keys, _emulator.Options.Region, "lambda", DateTimeOffset.UtcNow);
        return await _http.SendAsync(request);
    }

    /// <summary>An Event (asynchronous) Invoke.</summary>
    public Task<HttpResponseMessage> InvokeEventAsync(string payload, bool tail = false) =>
        InvokeAsync(payload, tail, invocationType: "Event");

    /// <summary>A signed GET of a path of the API (e.g. /2016-08-19/account-settings/), with no body.</summary>
    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, AwsKeys? keys = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _emulator.Endpoint + pathAndQuery);
        TestSigner.Sign(request, [], keys ?? Keys, _emulator.Options.Region, "lambda", DateTimeOffset.UtcNow);
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
