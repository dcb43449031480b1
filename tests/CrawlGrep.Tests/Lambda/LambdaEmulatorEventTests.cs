using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using static CrawlGrep.Tests.Lambda.EmulatorAssert;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Asynchronous (Event) invocations as Lambda runs them: 202 at once with a request id and no body or log, the event
/// queued even when the concurrency is used up and run when a slot frees, retried twice after a function error (an
/// /error, a crash, a timeout) with the configured delays, and recorded in the on-failure destination, in Lambda's
/// shape, when every attempt failed. Events are limited to 1 MB.
/// </summary>
public sealed class LambdaEmulatorEventTests : IDisposable
{
    private readonly EmulatorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static async Task<string> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("X-Amz-Log-Result"));
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        string id = Header(response, "x-amzn-RequestId");
        Assert.True(Guid.TryParse(id, out _), $"request id '{id}'");
        return id;
    }

    [Fact]
    public async Task Event_Is202BeforeItRuns_AndRunsUnderTheRequestIdThe202Gave()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Inspect, timeoutSeconds: 20);
        string gate = _harness.Gate("gate");
        // The event waits for a gate only the test opens: the 202 cannot have waited for the event's end.
        using var response = await client.InvokeEventAsync(JsonSerializer.Serialize(new { waitFor = gate }), tail: true);
        string id = await AcceptedAsync(response);
        await WaitUntilAsync(() => emulator.InFlight == 1, "the event running");
        Assert.Empty(emulator.Invocations);
        Assert.Equal((1, 1, 0), (emulator.EventsAccepted, emulator.EventAttempts, emulator.EventsQueued));

        _harness.Open(gate);
        await emulator.DrainEventsAsync(Patience);
        var run = Assert.Single(emulator.Invocations);
        Assert.Equal((id, true, 1), (run.RequestId, run.IsEvent, run.Attempt));
        Assert.Null(run.ErrorType);
        Assert.Contains($"START RequestId: {id} Version: $LATEST\n", run.Log);
        Assert.Contains("inspect: invocation 1 of pid", run.Log);
        Assert.Equal(1, emulator.EventsSucceeded);
        Assert.Empty(emulator.FailureDestination);

        // A synchronous invocation is no event.
        using (var sync = await client.InvokeAsync("{}")) Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.False(emulator.Invocations[^1].IsEvent);
        Assert.Equal(1, emulator.EventsAccepted);
    }

    [Fact]
    public async Task FailingEvent_IsTriedThreeTimesWithTheRetryDelays_ThenLandsInTheFailureDestination()
    {
        var delays = new[] { TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600) };
        var (emulator, client) = _harness.Start(WorkerScripts.Failing, o => o with { EventRetryDelays = delays });
        var before = DateTimeOffset.UtcNow;
        using var response = await client.InvokeEventAsync("{\"task\":\"t1\",\"n\":[1,2]}");
        string id = await AcceptedAsync(response);
        await emulator.DrainEventsAsync(Patience);

        var attempts = emulator.Invocations;
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal((id, true, "Unhandled"), (a.RequestId, a.IsEvent, a.ErrorType)));
        for (int i = 1; i < attempts.Count; i++)
        {
            var waited = attempts[i].Delivered!.Value - attempts[i - 1].Finished;
            Assert.True(waited >= delays[i - 1], $"retry {i} came {waited.TotalMilliseconds:0} ms after the attempt before it");
        }
        Assert.Equal((1, 3, 0, 0), (emulator.EventsAccepted, emulator.EventAttempts, emulator.EventsQueued, emulator.EventsSucceeded));
        Assert.Equal(1, emulator.ColdStarts); // an /error leaves the worker warm

        var record = Assert.Single(emulator.FailureDestination);
        Assert.Equal("1.0", record.GetProperty("version").GetString());
        var timestamp = DateTimeOffset.Parse(record.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.EndsWith("Z", record.GetProperty("timestamp").GetString());
        var context = record.GetProperty("requestContext");
        Assert.Equal(id, context.GetProperty("requestId").GetString());
        Assert.Equal(emulator.FunctionArn + ":$LATEST", context.GetProperty("functionArn").GetString());
        Assert.Equal("RetriesExhausted", context.GetProperty("condition").GetString());
        Assert.Equal(3, context.GetProperty("approximateInvokeCount").GetInt32());
        // The event itself, as JSON, not as a string holding it.
        var request = record.GetProperty("requestPayload");
        Assert.Equal("t1", request.GetProperty("task").GetString());
        Assert.Equal(2, request.GetProperty("n")[1].GetInt32());
        var answer = record.GetProperty("responseContext");
        Assert.Equal(200, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("$LATEST", answer.GetProperty("executedVersion").GetString());
        Assert.Equal("Unhandled", answer.GetProperty("functionError").GetString());
        var payload = record.GetProperty("responsePayload");
        Assert.Equal("ValueError", payload.GetProperty("errorType").GetString());
        Assert.Equal("cannot handle {\"task\":\"t1\",\"n\":[1,2]}", payload.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task EventWhoseRunsCrashThenTimeOut_SucceedsOnItsThirdAttempt_AndNothingGoesToTheDestination()
    {
        // The run takes 0.8 s of the 2 s allowed, so the kill 50 ms into the first attempt lands on a busy machine too.
        var (emulator, client) = _harness.Start(WorkerScripts.Inspect, timeoutSeconds: 2);
        emulator.Inject(LambdaFault.KillWorker(invocation: 1, TimeSpan.FromMilliseconds(50)));
        emulator.Inject(LambdaFault.StopWorker(invocation: 2));
        using var response = await client.InvokeEventAsync("{\"sleep\":0.8}");
        string id = await AcceptedAsync(response);
        await emulator.DrainEventsAsync(Patience);

        Assert.Equal([("Runtime.ExitError", 1), ("Sandbox.Timedout", 2), (null, 3)],
            emulator.Invocations.Select(a => (a.ErrorType, a.Attempt)));
        Assert.All(emulator.Invocations, a => Assert.Equal(id, a.RequestId));
        Assert.Equal((3, 1), (emulator.EventAttempts, emulator.EventsSucceeded));
        Assert.Empty(emulator.FailureDestination);
        Assert.Equal(3, emulator.ColdStarts); // a killed worker and a timed-out one are both replaced
    }

    [Fact]
    public async Task EventOverOneMegabyte_Is413_WhileOneMegabyteIsAccepted_AndASynchronousInvokeMayBeLarger()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Echo);
        static byte[] JsonString(int length) => Encoding.ASCII.GetBytes("\"" + new string('x', length - 2) + "\"");

        using var over = await client.InvokeAsync(JsonString(EmulatorOptions.MaxEventPayloadBytes + 1), invocationType: "Event");
        await AssertServiceErrorAsync(over, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException",
            "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)");
        Assert.Equal(0, emulator.EventsAccepted);

        using var atLimit = await client.InvokeAsync(JsonString(EmulatorOptions.MaxEventPayloadBytes), invocationType: "Event");
        await AcceptedAsync(atLimit);
        using var sync = await client.InvokeAsync(JsonString(EmulatorOptions.MaxEventPayloadBytes + 1));
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(EmulatorOptions.MaxEventPayloadBytes + 1, (await sync.Content.ReadAsByteArrayAsync()).Length);

        // An event must be JSON, as a synchronous payload must.
        using var notJson = await client.InvokeEventAsync("not json");
        await AssertServiceErrorAsync(notJson, HttpStatusCode.BadRequest, "InvalidRequestContentException");
        await emulator.DrainEventsAsync(Patience);
        Assert.Equal((1, 1), (emulator.EventsAccepted, emulator.EventsSucceeded));
    }

    [Fact]
    public async Task EventAcceptedWhileTheConcurrencyIsUsedUp_WaitsInTheQueue_AndRunsWhenASlotFrees()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Inspect, concurrency: 1, timeoutSeconds: 20);
        string gate = _harness.Gate("held");
        var held = client.InvokeAsync(JsonSerializer.Serialize(new { waitFor = gate }));
        await WaitUntilAsync(() => emulator.InFlight == 1, "the one slot taken");

        using var response = await client.InvokeEventAsync("{\"queued\":true}");
        string id = await AcceptedAsync(response);
        await Task.Delay(300);
        Assert.Equal((1, 1, 0), (emulator.EventsAccepted, emulator.EventsQueued, emulator.EventAttempts));
        // A waiting event is not throttled; a synchronous invoke still is.
        using (var refused = await client.InvokeAsync("{}")) Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(1, emulator.Throttled);

        _harness.Open(gate);
        using (var done = await held) Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await emulator.DrainEventsAsync(Patience);
        var (first, second) = (emulator.Invocations[0], emulator.Invocations[1]);
        Assert.False(first.IsEvent);
        Assert.Equal((id, true), (second.RequestId, second.IsEvent));
        Assert.True(second.Delivered >= first.Finished, "the event ran beside the invocation that held the only slot");
        Assert.Equal((0, 1, 1), (emulator.EventsQueued, emulator.EventAttempts, emulator.EventsSucceeded));
        Assert.Equal(1, emulator.MaxConcurrent);
    }

    [Fact]
    public async Task AtConcurrencyZero_EventsWait_UntilTheLimitIsRaised()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.Echo);
        emulator.SetConcurrency(0);
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
            using (var response = await client.InvokeEventAsync($"{{\"event\":{i}}}")) ids.Add(await AcceptedAsync(response));
        await Task.Delay(300);
        Assert.Equal((3, 0), (emulator.EventsQueued, emulator.InvocationsStarted));

        emulator.SetConcurrency(1);
        await emulator.DrainEventsAsync(Patience);
        // Run one at a time, oldest first.
        Assert.Equal(ids, emulator.Invocations.Select(r => r.RequestId));
        Assert.Equal((3, 1), (emulator.EventsSucceeded, emulator.MaxConcurrent));
    }
}
