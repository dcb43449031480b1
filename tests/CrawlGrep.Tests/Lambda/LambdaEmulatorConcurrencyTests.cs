using System.Net;
using System.Text.Json;

using static CrawlGrep.Tests.Lambda.EmulatorAssert;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The concurrency limit changed while invocations run, as PutFunctionConcurrency changes it: lowered, new invokes
/// get 429 until fewer than the new limit are in flight, and those in flight still finish; raised, invokes are
/// admitted again. What Lambda refuses to set is refused, and a limit that is not reserved is the account's.
/// </summary>
public sealed class LambdaEmulatorConcurrencyTests : IDisposable
{
    private readonly EmulatorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string Held(string gate) => JsonSerializer.Serialize(new { waitFor = gate });

    private static async Task AssertThrottledAsync(TestLambdaClient client, string reason = "ReservedFunctionConcurrentInvocationLimitExceeded")
    {
        using var response = await client.InvokeAsync("{}");
        await AssertServiceErrorAsync(response, HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Rate Exceeded.");
        Assert.Equal(reason, (await JsonOf(response)).GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task Lowered_NewInvokesAre429UntilInFlightIsBelowTheNewLimit_ThoseInFlightFinish_AndRaisedItAdmitsAgain()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Inspect, concurrency: 3, timeoutSeconds: 20);
        string[] gates = [_harness.Gate("a"), _harness.Gate("b"), _harness.Gate("c")];
        var held = gates.Select(g => client.InvokeAsync(Held(g))).ToArray();
        await WaitUntilAsync(() => emulator.InFlight == 3, "three invocations in flight");

        emulator.SetConcurrency(1);
        Assert.Equal(1, emulator.Concurrency);
        await AssertThrottledAsync(client);
        // Each one that ends frees a slot, but the limit is below what is still in flight until the last one ends.
        for (int i = 0; i < gates.Length; i++)
        {
            _harness.Open(gates[i]);
            using (var done = await held[i]) Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            await WaitUntilAsync(() => emulator.InFlight == 2 - i, $"{2 - i} in flight");
            if (i < gates.Length - 1) await AssertThrottledAsync(client);
        }
        using (var admitted = await client.InvokeAsync("{}")) Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);

        // At the new limit of one: a second invoke beside a held one is refused, until the limit is raised.
        string gate = _harness.Gate("d");
        var one = client.InvokeAsync(Held(gate));
        await WaitUntilAsync(() => emulator.InFlight == 1, "one invocation in flight");
        await AssertThrottledAsync(client);
        emulator.SetConcurrency(2);
        using (var beside = await client.InvokeAsync("{}")) Assert.Equal(HttpStatusCode.OK, beside.StatusCode);
        _harness.Open(gate);
        using (var last = await one) Assert.Equal(HttpStatusCode.OK, last.StatusCode);

        Assert.Equal(4, emulator.Throttled);
        Assert.Equal(3, emulator.MaxConcurrent);
        Assert.Equal(6, emulator.InvocationsStarted);
        Assert.All(emulator.Invocations, i => Assert.Null(i.ErrorType));
    }

    [Fact]
    public void Limits_LambdaRefuses_AreRefused()
    {
        var (emulator, _) = _harness.Start(WorkerScripts.Echo, o => o with { AccountConcurrency = 300 });
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.SetConcurrency(-1));
        // Reserved concurrency must leave 100 of the account's unreserved.
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.SetConcurrency(201));
        emulator.SetConcurrency(200);
        emulator.SetConcurrency(0);
        Assert.Equal(0, emulator.Concurrency);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LambdaEmulator(emulator.Options with { Concurrency = 250 }));
        Assert.Throws<ArgumentException>(() => new LambdaEmulator(emulator.Options with { EventRetryDelays = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero] }));

        // Unreserved, a function may use up to the whole account.
        using var unreserved = new LambdaEmulator(emulator.Options with { ConcurrencyReserved = false, Concurrency = 300 });
        Assert.Throws<ArgumentOutOfRangeException>(() => unreserved.SetConcurrency(301));
    }

    [Fact]
    public async Task UnreservedLimit_ThrottlesWithTheAccountsReason()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Inspect, o => o with { ConcurrencyReserved = false }, concurrency: 1, timeoutSeconds: 20);
        string gate = _harness.Gate("held");
        var held = client.InvokeAsync(Held(gate));
        await WaitUntilAsync(() => emulator.InFlight == 1, "one invocation in flight");
        await AssertThrottledAsync(client, reason: "ConcurrentInvocationLimitExceeded");
        _harness.Open(gate);
        using (var done = await held) Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(1, emulator.Throttled);
    }
}
