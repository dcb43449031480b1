using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// The Invoke client against a stub of the Invoke endpoint on 127.0.0.1 that checks signatures as the service
/// does: the request's shape, what it returns for each of Lambda's answers, and that no key material leaks into
/// what a user or a log sees.
/// </summary>
public sealed class LambdaClientTests
{
    private const string AccessKey = "AKIDLAMBDATEST";
    private const string SecretKey = "lambda/secret+KEY-0123456789abcdefEXAMPLE";
    private const string SessionToken = "FQoGZXIvYXdzEXAMPLE-session-token//+=";
    private const string Function = "crawlgrep-worker";

    private static LambdaClient ClientFor(LambdaApiStub stub, string secret = SecretKey, TimeSpan? timeout = null) => new(new LambdaClientOptions
    {
        Region = "us-east-1",
        Endpoint = stub.Endpoint,
        Credentials = new SessionAWSCredentials(AccessKey, secret, SessionToken),
        Timeout = timeout ?? TimeSpan.FromMinutes(16),
    });

    private static KeyValuePair<string, string> H(string name, string value) => new(name, value);

    private static void AssertNoKeyMaterial(Exception e)
    {
        foreach (string shown in new[] { e.Message, e.ToString() })
        {
            Assert.DoesNotContain(SecretKey, shown);
            Assert.DoesNotContain(SessionToken, shown);
            Assert.DoesNotContain("Signature=", shown);
        }
    }

    [Fact]
    public async Task A_successful_invoke_returns_payload_log_tail_and_report_from_a_well_formed_signed_request()
    {
        const string log = "START RequestId: 1111 Version: $LATEST\nscanning\nEND RequestId: 1111\n" +
                           "REPORT RequestId: 1111\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1769 MB\tMax Memory Used: 80 MB\tInit Duration: 150.12 ms\t\n";
        using var stub = new LambdaApiStub(SecretKey, r => StubResponse.Ok(Encoding.UTF8.GetBytes("{\"echo\":" + Encoding.UTF8.GetString(r.Body) + "}"),
            H("X-Amz-Executed-Version", "$LATEST"), H("X-Amz-Log-Result", Convert.ToBase64String(Encoding.UTF8.GetBytes(log)))));
        using var client = ClientFor(stub);

        var result = await client.InvokeAsync(Function, "{\"task\":7}"u8.ToArray(), CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("{\"echo\":{\"task\":7}}", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.True(result.Succeeded);
        Assert.Null(result.FunctionError);
        Assert.Equal("$LATEST", result.ExecutedVersion);
        Assert.Equal("11111111-2222-3333-4444-555555555555", result.RequestId);
        Assert.Equal(log, result.LogTail);
        Assert.Equal(new LambdaReport("1111", 12.34, 13, 1769, 80, 150.12), result.Report);

        var request = Assert.Single(stub.Received);
        Assert.True(request.SignatureValid);
        Assert.Equal("POST", request.Head.Method);
        Assert.Equal($"/2015-03-31/functions/{Function}/invocations", request.Head.Target);
        Assert.Equal("RequestResponse", request.Head.Get("X-Amz-Invocation-Type"));
        Assert.Equal("Tail", request.Head.Get("X-Amz-Log-Type"));
        Assert.Equal(SessionToken, request.Head.Get("X-Amz-Security-Token"));
        Assert.Equal("{\"task\":7}", Encoding.UTF8.GetString(request.Body));
        string authorization = request.Head.Get("Authorization")!;
        Assert.Matches($"^AWS4-HMAC-SHA256 Credential={AccessKey}/\\d{{8}}/us-east-1/lambda/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token[a-z0-9;-]*, Signature=[0-9a-f]{{64}}$", authorization);
        Assert.Contains("x-amz-invocation-type", authorization);
    }

    [Fact]
    public async Task A_function_error_is_a_result_not_an_exception()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok(
            "{\"errorMessage\":\"boom\",\"errorType\":\"Runtime.ExitError\"}"u8.ToArray(), H("X-Amz-Function-Error", "Unhandled")));
        using var client = ClientFor(stub);

        var result = await client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None);

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.False(result.Succeeded);
        Assert.Contains("Runtime.ExitError", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Null(result.LogTail);
        Assert.Null(result.Report);
    }

    [Fact]
    public async Task A_missing_function_is_named_with_its_region_and_not_retryable()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Error(404, "Not Found", "ResourceNotFoundException",
            $"Function not found: arn:aws:lambda:us-east-1:123456789012:function:{Function}"));
        using var client = ClientFor(stub);

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(404, e.StatusCode);
        Assert.Equal("ResourceNotFoundException", e.ErrorType);
        Assert.StartsWith("Function not found: arn:aws:lambda:", e.ServiceMessage);
        Assert.Equal("99999999-2222-3333-4444-555555555555", e.RequestId);
        Assert.Equal($"function {Function} not found in us-east-1", e.Message);
        Assert.False(e.IsRetryable);
        Assert.False(e.IsAccessDenied);
        AssertNoKeyMaterial(e);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_as_access_denied_without_echoing_the_token_the_service_quotes()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok("{}"u8.ToArray()));
        using var client = ClientFor(stub, secret: "not-the-right-secret");

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.False(Assert.Single(stub.Received).SignatureValid);
        Assert.Equal(403, e.StatusCode);
        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.True(e.IsAccessDenied);
        Assert.False(e.IsRetryable);
        Assert.StartsWith("access denied calling Lambda: The request signature we calculated does not match", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        AssertNoKeyMaterial(e);
        Assert.DoesNotContain("not-the-right-secret", e.ToString());
    }

    [Theory]
    [InlineData("UnrecognizedClientException", "The security token included in the request is invalid.")]
    [InlineData("AccessDeniedException", "User: arn:aws:iam::123456789012:user/x is not authorized to perform: lambda:InvokeFunction")]
    public async Task Refused_identities_read_as_access_denied(string type, string message)
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Error(403, "Forbidden", type, message));
        using var client = ClientFor(stub);

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(type, e.ErrorType);
        Assert.Equal($"access denied calling Lambda: {message}", e.Message);
        Assert.False(e.IsRetryable);
    }

    [Fact]
    public async Task Throttling_carries_its_reason_and_retry_after_and_is_retryable()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Error(429, "Too Many Requests", "TooManyRequestsException",
            "Rate Exceeded.", "ReservedFunctionConcurrentInvocationLimitExceeded", H("Retry-After", "3")));
        using var client = ClientFor(stub);

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(429, e.StatusCode);
        Assert.Equal("TooManyRequestsException", e.ErrorType);
        Assert.Equal("Rate Exceeded.", e.ServiceMessage);
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", e.Reason);
        Assert.Equal(TimeSpan.FromSeconds(3), e.RetryAfter);
        Assert.True(e.IsRetryable);
        Assert.Contains("429", e.Message);
        AssertNoKeyMaterial(e);
    }

    [Fact]
    public async Task A_server_error_is_retryable_and_the_type_falls_back_to_the_body()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => new StubResponse(500, "Internal Server Error",
            [H("x-amzn-RequestId", "r-500")], "{\"__type\":\"com.amazonaws.lambda#ServiceException\",\"Message\":\"internal failure\"}"u8.ToArray()));
        using var client = ClientFor(stub);

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(500, e.StatusCode);
        Assert.Equal("ServiceException", e.ErrorType);
        Assert.Equal("internal failure", e.ServiceMessage);
        Assert.Null(e.RetryAfter);
        Assert.True(e.IsRetryable);
        Assert.Equal($"Lambda Invoke of {Function} failed: HTTP 500 ServiceException: internal failure", e.Message);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_status_0_retryable_and_names_the_host()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var client = new LambdaClient(new LambdaClientOptions
        {
            Region = "us-east-1",
            Endpoint = new Uri($"http://127.0.0.1:{port}/"),
            Credentials = new SessionAWSCredentials(AccessKey, SecretKey, SessionToken),
        });

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(0, e.StatusCode);
        Assert.True(e.IsRetryable);
        Assert.StartsWith("cannot reach Lambda endpoint 127.0.0.1: ", e.Message);
        AssertNoKeyMaterial(e);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_status_0_and_retryable()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok("{}"u8.ToArray()) with { Delay = TimeSpan.FromSeconds(30) });
        using var client = ClientFor(stub, timeout: TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsAsync<LambdaException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(0, e.StatusCode);
        Assert.True(e.IsRetryable);
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task Cancellation_is_not_dressed_up_as_a_lambda_failure()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok("{}"u8.ToArray()) with { Delay = TimeSpan.FromSeconds(30) });
        using var client = ClientFor(stub);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.InvokeAsync(Function, "{}"u8.ToArray(), cts.Token));
    }

    [Fact]
    public async Task A_full_arn_with_a_qualifier_is_escaped_in_the_path_and_signs_for_its_own_region()
    {
        const string arn = "arn:aws:lambda:eu-west-1:123456789012:function:crawlgrep-worker:live";
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok("{}"u8.ToArray(), H("X-Amz-Executed-Version", "7")));
        using var client = ClientFor(stub);

        var result = await client.InvokeAsync(arn, "{}"u8.ToArray(), CancellationToken.None);

        var request = Assert.Single(stub.Received);
        Assert.True(request.SignatureValid);
        Assert.Equal("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Acrawlgrep-worker%3Alive/invocations", request.Head.Target);
        Assert.Contains("/eu-west-1/lambda/aws4_request", request.Head.Get("Authorization"));
        Assert.Equal("7", result.ExecutedVersion);
    }

    [Fact]
    public async Task A_qualifier_goes_into_the_query_and_is_signed()
    {
        using var stub = new LambdaApiStub(SecretKey, _ => StubResponse.Ok("{}"u8.ToArray()));
        using var client = ClientFor(stub);

        await client.InvokeAsync(Function, "$LATEST", "{}"u8.ToArray(), CancellationToken.None);

        var request = Assert.Single(stub.Received);
        Assert.True(request.SignatureValid);
        Assert.Equal($"/2015-03-31/functions/{Function}/invocations?Qualifier=%24LATEST", request.Head.Target);
    }

    [Fact]
    public void Options_print_without_credentials()
    {
        var options = new LambdaClientOptions { Region = "us-east-1", Credentials = new SessionAWSCredentials(AccessKey, SecretKey, SessionToken) };
        string shown = options.ToString();
        Assert.Contains("SessionAWSCredentials", shown);
        Assert.DoesNotContain(SecretKey, shown);
        Assert.DoesNotContain(SessionToken, shown);
    }

    [Theory]
    [InlineData("us-east-1", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/invocations")]
    [InlineData("cn-north-1", "https://lambda.cn-north-1.amazonaws.com.cn/2015-03-31/functions/f/invocations")]
    public void The_default_endpoint_is_the_regions(string region, string expected) =>
        Assert.Equal(expected, LambdaClient.InvokeUri(new LambdaClientOptions().EndpointFor(region), LambdaFunctionName.Parse("f")).AbsoluteUri);

    [Fact]
    public void Service_texts_are_cut_before_the_quoted_canonical_request_and_masked()
    {
        var credentials = new ImmutableCredentials(AccessKey, SecretKey, SessionToken);
        Assert.Equal("bad. [redacted] x", LambdaClient.Clean($"bad. {SessionToken} x The Canonical String ... {SessionToken}", credentials));
        Assert.Equal("plain", LambdaClient.Clean("plain", credentials));
    }
}
