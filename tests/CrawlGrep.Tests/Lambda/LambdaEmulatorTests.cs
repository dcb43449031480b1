using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using static CrawlGrep.Tests.Lambda.EmulatorAssert;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The Lambda emulator behaves as Lambda does towards a caller and a worker: round trips, cold and warm starts,
/// signatures, routing, limits, throttling, timeouts, crashes, function errors, and its fault hooks. The workers
/// are small Python programs (see <see cref="WorkerScripts"/>); function timeouts are kept at 2 s.
/// </summary>
public sealed class LambdaEmulatorTests : IDisposable
{
    private readonly EmulatorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private (LambdaEmulator Emulator, TestLambdaClient Client) Start(string script, Func<EmulatorOptions, EmulatorOptions>? configure = null,
        int concurrency = 2, double timeoutSeconds = 2) => _harness.Start(script, configure, concurrency, timeoutSeconds);

    private static Regex ReportLine(string requestId, bool withInit) => new(
        "^REPORT RequestId: " + Regex.Escape(requestId) + @"\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 1769 MB\tMax Memory Used: [1-9]\d* MB\t"
        + (withInit ? @"Init Duration: \d+\.\d\d ms\t" : "") + "$", RegexOptions.Multiline);

    [Fact]
    public async Task Echo_RoundTrip_ColdThenWarm_WithLambdasHeadersAndLogTail()
    {
        var (emulator, client) = Start(WorkerScripts.Echo);
        const string payload = "{\"hello\":\"world\"}";

        using var cold = await client.InvokeAsync(payload, tail: true);
        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        Assert.Equal(payload, await cold.Content.ReadAsStringAsync());
        Assert.Equal("$LATEST", Header(cold, "X-Amz-Executed-Version"));
        Assert.False(cold.Headers.Contains("X-Amz-Function-Error"));
        string coldId = Header(cold, "x-amzn-RequestId");
        string coldLog = LogOf(cold);
        Assert.StartsWith($"START RequestId: {coldId} Version: $LATEST\n", coldLog);
        Assert.Contains($"echo: {payload.Length} bytes, invocation 1 of pid {emulator.WorkerPids[0]}\n", coldLog);
        Assert.Contains($"\nEND RequestId: {coldId}\n", coldLog);
        Assert.Matches(ReportLine(coldId, withInit: true), coldLog);

        using var warm = await client.InvokeAsync(payload, tail: true);
        Assert.Equal(payload, await warm.Content.ReadAsStringAsync());
        string warmId = Header(warm, "x-amzn-RequestId");
        Assert.NotEqual(coldId, warmId);
        string warmLog = LogOf(warm);
        Assert.Contains($"echo: {payload.Length} bytes, invocation 2 of pid {emulator.WorkerPids[0]}\n", warmLog);
        Assert.Matches(ReportLine(warmId, withInit: false), warmLog);
        Assert.DoesNotContain("Init Duration", warmLog);

        // Without Tail there is no log; by ARN with the $LATEST qualifier is the same function.
        using var byArn = await client.InvokeAsync(payload, functionName: emulator.FunctionArn, qualifier: "$LATEST");
        Assert.Equal(HttpStatusCode.OK, byArn.StatusCode);
        Assert.False(byArn.Headers.Contains("X-Amz-Log-Result"));

        Assert.Equal((3, 3, 1, 1), (emulator.InvocationsStarted, emulator.InvocationsCompleted, emulator.ColdStarts, emulator.MaxConcurrent));
        Assert.Equal([true, false, false], emulator.Invocations.Select(i => i.ColdStart));
    }

    [Fact]
    public async Task Worker_GetsTheRuntimeApiHeaders_AndOnlyTheFunctionsEnvironment()
    {
        const string marker = "CRAWLGREP_LAMBDA_EMULATOR_TEST_MARKER";
        Environment.SetEnvironmentVariable(marker, "from-the-test-process");
        var (emulator, client) = Start(WorkerScripts.Inspect, o => new EmulatorOptions
        {
            Command = o.Command, TaskRoot = o.TaskRoot, Concurrency = o.Concurrency, Timeout = o.Timeout,
            Environment = new Dictionary<string, string> { ["CRAWLGREP_BUCKET"] = "results" },
        });
        var before = DateTimeOffset.UtcNow;
        using var response = await client.InvokeAsync("{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);

        var headers = json.GetProperty("headers");
        Assert.Equal(Header(response, "x-amzn-RequestId"), headers.GetProperty("lambda-runtime-aws-request-id").GetString());
        Assert.Equal(emulator.FunctionArn, headers.GetProperty("lambda-runtime-invoked-function-arn").GetString());
        Assert.StartsWith("Root=1-", headers.GetProperty("lambda-runtime-trace-id").GetString());
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(headers.GetProperty("lambda-runtime-deadline-ms").GetString()!));
        Assert.InRange(deadline, before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(2.5));

        var env = json.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var function = emulator.Options.FunctionKeys;
        Assert.Equal(function.AccessKeyId, env["AWS_ACCESS_KEY_ID"]);
        Assert.Equal(function.SecretAccessKey, env["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal(function.SessionToken, env["AWS_SESSION_TOKEN"]);
        Assert.DoesNotContain(env.Values, v => v == client.Keys.AccessKeyId || v == client.Keys.SecretAccessKey);
        Assert.False(env.ContainsKey(marker));
        Assert.Equal("results", env["CRAWLGREP_BUCKET"]);
        Assert.Equal(emulator.Options.FunctionName, env["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("1769", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("$LATEST", env["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("AWS_Lambda_provided.al2023", env["AWS_EXECUTION_ENV"]);
        Assert.Equal("us-east-1", env["AWS_REGION"]);
        Assert.Equal("us-east-1", env["AWS_DEFAULT_REGION"]);
        Assert.Equal(":UTC", env["TZ"]);
        Assert.Equal($"/aws/lambda/{emulator.Options.FunctionName}", env["AWS_LAMBDA_LOG_GROUP_NAME"]);
        Assert.Contains("[$LATEST]", env["AWS_LAMBDA_LOG_STREAM_NAME"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", env["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Equal(_harness.Folder.FullName, env["LAMBDA_TASK_ROOT"]);
        Assert.Equal("bootstrap", env["_HANDLER"]);
    }

    [Fact]
    public async Task DotnetProgram_RunsInTheWorkersEnvironment()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll");
        string dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var (_, client) = Start(WorkerScripts.Echo, o => new EmulatorOptions { Command = new WorkerCommand(dotnet, dll, "--version"), Timeout = o.Timeout });

        // It prints its version and exits without asking for work: Lambda's answer to a runtime that just ends.
        using var response = await client.InvokeAsync("{}", tail: true);
        var (type, message) = await FunctionErrorOf(response);
        Assert.Equal("Runtime.ExitError", type);
        Assert.EndsWith("Error: Runtime exited without providing a reason", message);
        Assert.Matches(@"(?m)^\d+\.\d+\.\d+", LogOf(response));
    }

    [Fact]
    public async Task BadSignatures_AreRefusedAsAwsRefusesThem_BeforeAnyInvocation()
    {
        var (emulator, client) = Start(WorkerScripts.Echo);
        var caller = emulator.Options.Callers[0];

        using var wrongSecret = await client.InvokeAsync("{}", keys: caller with { SecretAccessKey = caller.SecretAccessKey + "x" });
        await AssertServiceErrorAsync(wrongSecret, HttpStatusCode.Forbidden, "InvalidSignatureException", LambdaErrors.InvalidSignatureMessage);

        using var unknownKey = await client.InvokeAsync("{}", keys: new AwsKeys("AKIDUNKNOWN", caller.SecretAccessKey));
        await AssertServiceErrorAsync(unknownKey, HttpStatusCode.Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");

        // The function's own role may not call it.
        using var functionKeys = await client.InvokeAsync("{}", keys: emulator.Options.FunctionKeys);
        await AssertServiceErrorAsync(functionKeys, HttpStatusCode.Forbidden, "UnrecognizedClientException");

        using var http = new HttpClient();
        using var unsigned = await http.PostAsync($"{emulator.Endpoint}/2015-03-31/functions/{emulator.Options.FunctionName}/invocations", new StringContent("{}"));
        await AssertServiceErrorAsync(unsigned, HttpStatusCode.Forbidden, "MissingAuthenticationTokenException");

        Assert.Equal(0, emulator.InvocationsStarted);
    }

    [Fact]
    public async Task CallerWithASessionToken_MustSendIt()
    {
        var keys = new AwsKeys("ASIACALLER", "caller/temporary/secret", "caller-session-token");
        var (emulator, _) = Start(WorkerScripts.Echo, o => new EmulatorOptions { Command = o.Command, Callers = [keys] });
        using var client = new TestLambdaClient(emulator, keys);
        using var withToken = await client.InvokeAsync("{}");
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);

        using var withoutToken = await client.InvokeAsync("{}", keys: keys with { SessionToken = null });
        await AssertServiceErrorAsync(withoutToken, HttpStatusCode.Forbidden, "UnrecognizedClientException");
        using var otherToken = await client.InvokeAsync("{}", keys: keys with { SessionToken = "another" });
        await AssertServiceErrorAsync(otherToken, HttpStatusCode.Forbidden, "UnrecognizedClientException");
    }

    [Fact]
    public async Task UnknownFunctionOrQualifier_Is404_AndOtherInvocationTypesAndNonJsonPayloadsAreAnswered()
    {
        var (emulator, client) = Start(WorkerScripts.Echo);
        using var unknown = await client.InvokeAsync("{}", functionName: "nope");
        await AssertServiceErrorAsync(unknown, HttpStatusCode.NotFound, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");

        using var otherAccount = await client.InvokeAsync("{}", functionName: "arn:aws:lambda:us-east-1:999999999999:function:" + emulator.Options.FunctionName);
        await AssertServiceErrorAsync(otherAccount, HttpStatusCode.NotFound, "ResourceNotFoundException");

        using var version = await client.InvokeAsync("{}", qualifier: "7");
        await AssertServiceErrorAsync(version, HttpStatusCode.NotFound, "ResourceNotFoundException", $"Function not found: {emulator.FunctionArn}:7");

        using var dryRun = await client.InvokeAsync("{}", beforeSigning: r => { r.Headers.Remove("X-Amz-Invocation-Type"); r.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", "DryRun"); });
        Assert.Equal(HttpStatusCode.NoContent, dryRun.StatusCode);
        using var sideways = await client.InvokeAsync("{}", beforeSigning: r => { r.Headers.Remove("X-Amz-Invocation-Type"); r.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", "Sideways"); });
        await AssertServiceErrorAsync(sideways, HttpStatusCode.BadRequest, "InvalidParameterValueException", "Invalid invocation type: Sideways.");
        using var notJson = await client.InvokeAsync("{\"task\":");
        await AssertServiceErrorAsync(notJson, HttpStatusCode.BadRequest, "InvalidRequestContentException");
        Assert.StartsWith("Could not parse request body into json: ", (await JsonOf(notJson)).GetProperty("message").GetString());

        Assert.Equal(0, emulator.InvocationsStarted);
    }

    [Fact]
    public async Task RequestOverSixMegabytes_Is413()
    {
        var (emulator, client) = Start(WorkerScripts.Echo);
        var payload = new byte[EmulatorOptions.MaxPayloadBytes + 1];
        payload.AsSpan().Fill((byte)' ');
        using var response = await client.InvokeAsync(payload);
        await AssertServiceErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException");
        Assert.Equal(0, emulator.InvocationsStarted);

        // The connection and the function are still fine after it.
        using var small = await client.InvokeAsync("{}");
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Fact]
    public async Task PastTheConcurrencyLimit_Is429WithReasonAndRetryAfter()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect, concurrency: 2, timeoutSeconds: 20);
        string gate = Path.Combine(_harness.Folder.FullName, "gate");
        string held = JsonSerializer.Serialize(new { waitFor = gate });
        var running = new[] { client.InvokeAsync(held), client.InvokeAsync(held) };
        await WaitUntilAsync(() => emulator.InFlight == 2, "two invocations in flight");

        foreach (var extra in await Task.WhenAll(client.InvokeAsync("{}"), client.InvokeAsync("{}")))
        {
            using (extra)
            {
                await AssertServiceErrorAsync(extra, HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Rate Exceeded.");
                Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", (await JsonOf(extra)).GetProperty("Reason").GetString());
                Assert.Equal(TimeSpan.FromSeconds(1), extra.Headers.RetryAfter?.Delta);
            }
        }
        File.WriteAllText(gate, "");
        foreach (var done in await Task.WhenAll(running))
            using (done) Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal((2, 2, 2), (emulator.Throttled, emulator.MaxConcurrent, emulator.InvocationsStarted));
    }

    [Fact]
    public async Task EachWorker_RunsOneInvocationAtATime_AndIdleWorkersAreReused()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect, concurrency: 3, timeoutSeconds: 10);
        // Two rounds of three invocations held in flight together until a gate file appears.
        for (int round = 0; round < 2; round++)
        {
            string gate = Path.Combine(_harness.Folder.FullName, $"gate{round}");
            string held = JsonSerializer.Serialize(new { waitFor = gate, sleep = 0.1 });
            var running = Enumerable.Range(0, 3).Select(_ => client.InvokeAsync(held)).ToList();
            await WaitUntilAsync(() => emulator.InFlight == 3, "three invocations in flight");
            File.WriteAllText(gate, "");
            foreach (var r in await Task.WhenAll(running)) using (r) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.Equal(3, emulator.ColdStarts);
        Assert.Equal(3, emulator.MaxConcurrent);
        var records = emulator.Invocations;
        Assert.Equal(6, records.Count);
        foreach (var perWorker in records.GroupBy(r => r.WorkerPid))
        {
            var ordered = perWorker.OrderBy(r => r.Delivered).ToList();
            Assert.True(ordered[0].ColdStart);
            for (int i = 1; i < ordered.Count; i++)
            {
                Assert.False(ordered[i].ColdStart);
                Assert.True(ordered[i].Delivered >= ordered[i - 1].Finished, $"worker {perWorker.Key} got an invocation while running another");
            }
        }
    }

    [Fact]
    public async Task Timeout_KillsTheWorker_ReportsIt_AndTheNextInvocationIsAColdStart()
    {
        var (emulator, client) = Start(WorkerScripts.SleepsPastTimeout);
        using var response = await client.InvokeAsync("{}", tail: true);
        string id = Header(response, "x-amzn-RequestId");
        var (type, message) = await FunctionErrorOf(response);
        Assert.Equal("Sandbox.Timedout", type);
        Assert.Equal($"RequestId: {id} Error: Task timed out after 2.00 seconds", message);
        Assert.Contains($"{id} Task timed out after 2.00 seconds", LogOf(response));
        int first = emulator.WorkerPids[0];
        await WaitUntilAsync(() => !ProcessSignals.IsRunning(first), "the timed-out worker is gone");

        using var next = await client.InvokeAsync("{\"quick\":true}");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("{\"quick\":true}", await next.Content.ReadAsStringAsync());
        Assert.Equal(2, emulator.ColdStarts);
        Assert.True(emulator.Invocations[^1].ColdStart);
    }

    [Fact]
    public async Task WorkerExitingMidInvocation_IsRuntimeExitError_ThenANewWorkerServes()
    {
        var (emulator, client) = Start(WorkerScripts.ExitsMidInvocation);
        using var crashed = await client.InvokeAsync("{\"exit\":true}", tail: true);
        string id = Header(crashed, "x-amzn-RequestId");
        var (type, message) = await FunctionErrorOf(crashed);
        Assert.Equal("Runtime.ExitError", type);
        Assert.Equal($"RequestId: {id} Error: Runtime exited with error: exit status 1", message);
        Assert.Contains("exiting mid-invocation\n", LogOf(crashed));

        using var next = await client.InvokeAsync("{\"exit\":false}");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, emulator.ColdStarts);
        Assert.NotEqual(emulator.WorkerPids[0], emulator.WorkerPids[1]);
    }

    [Fact]
    public async Task ErrorPostedByTheWorker_IsPassedThrough_AndTheWorkerStaysWarm()
    {
        var (emulator, client) = Start(WorkerScripts.Failing);
        for (int i = 0; i < 2; i++)
        {
            using var response = await client.InvokeAsync("\"abc\"", tail: true);
            var (type, message) = await FunctionErrorOf(response);
            Assert.Equal("ValueError", type);
            Assert.Equal("cannot handle \"abc\"", message);
            Assert.Contains("failing on purpose\n", LogOf(response));
        }
        Assert.Equal(1, emulator.ColdStarts);
    }

    [Fact]
    public async Task ResponseOverSixMegabytes_IsFunctionResponseSizeTooLarge()
    {
        // The worker prints the 413 after it is answered, when the outcome is decided: a second of quiet, not 30 ms, lets
        // that line reach the log on a busy machine.
        var (emulator, client) = Start(WorkerScripts.Oversized, o => o with { LogSettle = TimeSpan.FromSeconds(1) });
        using var big = await client.InvokeAsync("{\"size\":7000000}", tail: true);
        var (type, message) = await FunctionErrorOf(big);
        Assert.Equal("Function.ResponseSizeTooLarge", type);
        Assert.Equal("Response payload size exceeded maximum allowed payload size (6291556 bytes).", message);
        Assert.Contains("response status 413\n", LogOf(big));

        using var small = await client.InvokeAsync("{\"size\":3}");
        Assert.Equal("\"xxx\"", await small.Content.ReadAsStringAsync());
        Assert.Equal(1, emulator.ColdStarts);
    }

    [Fact]
    public async Task InitError_FailsTheInvocationWithTheWorkersError_AndEachAttemptStartsAFreshWorker()
    {
        var (emulator, client) = Start(WorkerScripts.InitError);
        for (int i = 0; i < 2; i++)
        {
            using var response = await client.InvokeAsync("{}", tail: true);
            var (type, message) = await FunctionErrorOf(response);
            Assert.Equal("Runtime.ConfigError", type);
            Assert.Equal("CRAWLGREP_CONFIG is not set", message);
            Assert.Contains("init: configuration missing\n", LogOf(response));
        }
        Assert.Equal(2, emulator.ColdStarts);
    }

    [Fact]
    public async Task KillFault_EndsTheNthInvocationWithSignalKilled()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect, concurrency: 1, timeoutSeconds: 10);
        emulator.Inject(LambdaFault.KillWorker(invocation: 2, after: TimeSpan.FromMilliseconds(200)));
        using var first = await client.InvokeAsync("{\"sleep\":1}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await client.InvokeAsync("{\"sleep\":1}");
        var (type, message) = await FunctionErrorOf(second);
        Assert.Equal("Runtime.ExitError", type);
        Assert.EndsWith("Error: Runtime exited with error: signal: killed", message);
        using var third = await client.InvokeAsync("{}");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, emulator.ColdStarts);
    }

    [Fact]
    public async Task KillFault_ByEventPredicate()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect, timeoutSeconds: 10);
        emulator.Inject(LambdaFault.KillWorkerWhen(e => e.Contains("\"task\":\"b\""), TimeSpan.Zero));
        using var a = await client.InvokeAsync("{\"task\":\"a\"}");
        using var b = await client.InvokeAsync("{\"task\":\"b\",\"sleep\":2}");
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal("Runtime.ExitError", (await FunctionErrorOf(b)).Type);
    }

    [Fact]
    public async Task StopFault_HangsTheWorkerUntilTheTimeoutKillsIt()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect);
        emulator.Inject(LambdaFault.StopWorker(invocation: 1));
        using var response = await client.InvokeAsync("{\"sleep\":0.5}");
        var (type, message) = await FunctionErrorOf(response);
        Assert.Equal("Sandbox.Timedout", type);
        Assert.EndsWith("Task timed out after 2.00 seconds", message);
        int pid = emulator.WorkerPids[0];
        await WaitUntilAsync(() => !ProcessSignals.IsRunning(pid), "the stopped worker is gone");
    }

    [Fact]
    public async Task DropFault_RunsTheInvocation_ButTheCallerLosesTheResponse()
    {
        var (emulator, client) = Start(WorkerScripts.Echo);
        emulator.Inject(LambdaFault.DropResponse(invocation: 1));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.InvokeAsync("{\"task\":1}"));
        Assert.Equal(1, emulator.InvocationsCompleted);
        Assert.Null(emulator.Invocations[0].ErrorType);

        // A retry runs the task a second time, and this time its answer arrives.
        using var retry = await client.InvokeAsync("{\"task\":1}");
        Assert.Equal("{\"task\":1}", await retry.Content.ReadAsStringAsync());
        Assert.Equal(2, emulator.InvocationsStarted);
    }

    [Fact]
    public async Task Dispose_LeavesNoWorkerProcess_NorAnyChildOfOne()
    {
        var (emulator, client) = Start(WorkerScripts.Inspect, concurrency: 2, timeoutSeconds: 30);
        var hanging = client.InvokeAsync("{\"sleep\":60}");
        await WaitUntilAsync(() => emulator.InFlight == 1, "a worker busy");
        using var spawned = await client.InvokeAsync("{\"spawn\":true}");
        int child = (await JsonOf(spawned)).GetProperty("child").GetInt32();
        Assert.True(ProcessSignals.IsRunning(child));
        Assert.Equal(2, emulator.WorkerPids.Count);
        var pids = emulator.WorkerPids.Append(child).ToList();

        emulator.Dispose();
        // SIGKILL is delivered asynchronously: a killed grandchild may be seen for a moment before it is gone.
        var gone = System.Diagnostics.Stopwatch.StartNew();
        while (pids.Any(ProcessSignals.IsRunning) && gone.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        foreach (int pid in pids) Assert.False(ProcessSignals.IsRunning(pid), $"process {pid} outlived the emulator");
        await Assert.ThrowsAnyAsync<Exception>(() => hanging);
    }
}
