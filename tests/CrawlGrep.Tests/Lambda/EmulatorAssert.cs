using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>How the emulator tests read and check the emulator's answers, and wait for what happens behind them.</summary>
internal static class EmulatorAssert
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static string LogOf(HttpResponseMessage response) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(Header(response, "X-Amz-Log-Result")));

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A function error as Lambda answers it: 200, X-Amz-Function-Error: Unhandled, the error in the payload.</summary>
    public static async Task<(string Type, string Message)> FunctionErrorOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", Header(response, "X-Amz-Function-Error"));
        var json = await JsonOf(response);
        return (json.GetProperty("errorType").GetString()!, json.GetProperty("errorMessage").GetString()!);
    }

    /// <summary>A service error as Lambda answers it: the status, x-amzn-ErrorType, a request id, {"Type":"User","message":...}.</summary>
    public static async Task AssertServiceErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, Header(response, "x-amzn-ErrorType"));
        Assert.NotEmpty(Header(response, "x-amzn-RequestId"));
        var json = await JsonOf(response);
        Assert.Equal("User", json.GetProperty("Type").GetString());
        if (message is not null) Assert.Equal(message, json.GetProperty("message").GetString());
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) Assert.Fail($"gave up waiting: {what}");
            await Task.Delay(20);
        }
    }
}
