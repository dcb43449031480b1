using System.Net;
using System.Text;
using Amazon.Runtime;
using CrawlGrep.Core.Execution.Lambda;

using static CrawlGrep.Tests.Lambda.EmulatorAssert;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Core's <see cref="LambdaClient"/> against the emulator, which checks its signatures as Lambda does: the function's
/// settings (GetFunction) and the account's (GetAccountSettings) as the client reads them, following the emulator's
/// options and concurrency changes; 404 for an unknown function; Event invokes that return the 202's request id.
/// </summary>
public sealed class LambdaClientAgainstEmulatorTests : IDisposable
{
    private readonly EmulatorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static LambdaClient ClientOf(LambdaEmulator emulator, string? secret = null)
    {
        var caller = emulator.Options.Callers[0];
        return new LambdaClient(new LambdaClientOptions
        {
            Region = emulator.Options.Region,
            Endpoint = new Uri(emulator.Endpoint),
            Credentials = new BasicAWSCredentials(caller.AccessKeyId, secret ?? caller.SecretAccessKey),
        });
    }

    [Fact]
    public async Task GetFunction_GivesArnMemoryTimeoutArchitectureAndReservedConcurrency_AsTheyAreNow()
    {
        var (emulator, _) = _harness.Start(WorkerScripts.Echo, o => o with { MemorySizeMb = 3008, Architectures = ["arm64"] },
            concurrency: 5, timeoutSeconds: 7);
        using var client = ClientOf(emulator);

        var info = await client.GetFunctionAsync(emulator.Options.FunctionName, CancellationToken.None);
        Assert.Equal(new LambdaFunctionInfo(emulator.FunctionArn, 3008, 7, "arm64", 5), info);
        emulator.SetConcurrency(9);
        Assert.Equal(9, (await client.GetFunctionAsync(emulator.FunctionArn, CancellationToken.None)).ReservedConcurrency);
        var qualified = await client.GetFunctionAsync(emulator.Options.FunctionName + ":$LATEST", CancellationToken.None);
        Assert.Equal(emulator.FunctionArn + ":$LATEST", qualified.Arn);

        var limits = await client.GetAccountSettingsAsync(null, CancellationToken.None);
        Assert.Equal(new LambdaAccountLimits(1000, 991), limits);
        Assert.Equal(limits, await client.GetAccountSettingsAsync("us-east-1", CancellationToken.None));
    }

    [Fact]
    public async Task WithoutReservedConcurrency_TheFunctionSharesTheAccountsUnreservedPool()
    {
        var (emulator, testClient) = _harness.Start(WorkerScripts.Echo, o => o with { ConcurrencyReserved = false, AccountConcurrency = 50 }, concurrency: 50);
        using var client = ClientOf(emulator);
        var info = await client.GetFunctionAsync(emulator.Options.FunctionName, CancellationToken.None);
        Assert.Null(info.ReservedConcurrency);
        Assert.Equal("x86_64", info.Architecture);
        Assert.Equal(1769, info.MemorySizeMb);
        Assert.Equal(new LambdaAccountLimits(50, 50), await client.GetAccountSettingsAsync(null, CancellationToken.None));

        // The raw answers, shaped as Lambda's: no Concurrency member at all when none is reserved.
        using var function = await testClient.GetAsync($"/2015-03-31/functions/{emulator.Options.FunctionName}");
        Assert.Equal(HttpStatusCode.OK, function.StatusCode);
        var json = await JsonOf(function);
        Assert.False(json.TryGetProperty("Concurrency", out _));
        var configuration = json.GetProperty("Configuration");
        Assert.Equal("provided.al2023", configuration.GetProperty("Runtime").GetString());
        Assert.Equal(emulator.Options.FunctionName, configuration.GetProperty("FunctionName").GetString());
        Assert.Equal("bootstrap", configuration.GetProperty("Handler").GetString());
        using var account = await testClient.GetAsync("/2016-08-19/account-settings/");
        var accountJson = await JsonOf(account);
        Assert.Equal(1, accountJson.GetProperty("AccountUsage").GetProperty("FunctionCount").GetInt32());
        Assert.Equal(250L * 1024 * 1024, accountJson.GetProperty("AccountLimit").GetProperty("CodeSizeUnzipped").GetInt64());
    }

    [Fact]
    public async Task AnUnknownFunction_Is404ResourceNotFound_NamedWithItsRegion()
    {
        var (emulator, testClient) = _harness.Start(WorkerScripts.Echo);
        using var client = ClientOf(emulator);

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.GetFunctionAsync("nope", CancellationToken.None));
        Assert.Equal((404, "ResourceNotFoundException", "GetFunction"), (e.StatusCode, e.ErrorType, e.Operation));
        Assert.Equal("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope", e.ServiceMessage);
        Assert.Equal("function nope not found in us-east-1", e.Message);
        Assert.False(e.IsRetryable);

        var other = await Assert.ThrowsAsync<LambdaException>(() => client.GetFunctionAsync(emulator.Options.FunctionName + ":7", CancellationToken.None));
        Assert.Equal(404, other.StatusCode);
        var viaEvent = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeEventAsync("nope", "{}"u8.ToArray(), CancellationToken.None));
        Assert.Equal((404, "Invoke"), (viaEvent.StatusCode, viaEvent.Operation));

        // An operation the API does not have is refused as Lambda refuses it.
        using var unknown = await testClient.GetAsync("/2015-03-31/functions/");
        await AssertServiceErrorAsync(unknown, HttpStatusCode.NotFound, "UnknownOperationException");
        Assert.Equal(0, emulator.EventsAccepted);
    }

    [Fact]
    public async Task Settings_AreSignedCalls_AWrongSecretOrNoSignatureIsRefused()
    {
        var (emulator, _) = _harness.Start(WorkerScripts.Echo);
        using var wrong = ClientOf(emulator, secret: "not-the-secret");
        var function = await Assert.ThrowsAsync<LambdaException>(() => wrong.GetFunctionAsync(emulator.Options.FunctionName, CancellationToken.None));
        Assert.Equal((403, "InvalidSignatureException"), (function.StatusCode, function.ErrorType));
        Assert.True(function.IsAccessDenied);
        var account = await Assert.ThrowsAsync<LambdaException>(() => wrong.GetAccountSettingsAsync(null, CancellationToken.None));
        Assert.Equal((403, "InvalidSignatureException", "GetAccountSettings"), (account.StatusCode, account.ErrorType, account.Operation));
        Assert.DoesNotContain("not-the-secret", account.ToString());

        using var http = new HttpClient();
        using var unsigned = await http.GetAsync($"{emulator.Endpoint}/2016-08-19/account-settings/");
        await AssertServiceErrorAsync(unsigned, HttpStatusCode.Forbidden, "MissingAuthenticationTokenException");
        using var otherRegion = new LambdaClient(new LambdaClientOptions
        {
            Region = "eu-west-1",
            Endpoint = new Uri(emulator.Endpoint),
            Credentials = new BasicAWSCredentials(emulator.Options.Callers[0].AccessKeyId, emulator.Options.Callers[0].SecretAccessKey),
        });
        var scoped = await Assert.ThrowsAsync<LambdaException>(() => otherRegion.GetAccountSettingsAsync(null, CancellationToken.None));
        Assert.Equal(403, scoped.StatusCode);
    }

    [Fact]
    public async Task InvokeEventAsync_ReturnsTheRequestIdThatTheEventRunsUnder_EvenWithNoConcurrencyFree()
    {
        var (emulator, _) = _harness.Start(WorkerScripts.Echo);
        using var client = ClientOf(emulator);

        emulator.SetConcurrency(0);
        string? id = await client.InvokeEventAsync(emulator.Options.FunctionName, "{\"task\":\"e1\"}"u8.ToArray(), CancellationToken.None);
        Assert.True(Guid.TryParse(id, out _), $"request id '{id}'");
        Assert.Equal(1, emulator.EventsQueued);
        emulator.SetConcurrency(2);
        await emulator.DrainEventsAsync(Patience);
        var run = Assert.Single(emulator.Invocations);
        Assert.Equal((id, true, null), (run.RequestId, run.IsEvent, run.ErrorType));
        Assert.Contains("echo: 13 bytes", run.Log);

        var tooLarge = new byte[LambdaLimits.MaxEventPayload + 1];
        Encoding.ASCII.GetBytes("\"" + new string('x', tooLarge.Length - 2) + "\"").CopyTo(tooLarge, 0);
        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeEventAsync(emulator.Options.FunctionName, tooLarge, CancellationToken.None));
        Assert.Equal((413, "RequestEntityTooLargeException"), (e.StatusCode, e.ErrorType));
        Assert.False(e.IsRetryable);
        Assert.Equal(EmulatorOptions.MaxEventPayloadBytes, LambdaLimits.MaxEventPayload);
        Assert.Equal(1, emulator.EventsAccepted);
    }
}
