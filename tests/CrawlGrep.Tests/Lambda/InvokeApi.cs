using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The Invoke operation of the Lambda API (2015-03-31), once the request's size and signature have passed: function
/// name or ARN and qualifier, invocation type, a payload that must be JSON, then the invocation itself, answered as
/// Lambda answers. RequestResponse: 200 with the function's payload (X-Amz-Function-Error when it failed,
/// X-Amz-Log-Result on request) or 429 when the concurrency is used up. Event: 202 at once, the event queued whatever
/// the concurrency (a log tail is not given). DryRun: 204.
/// </summary>
internal sealed class InvokeApi(LambdaEmulator emulator)
{
    private const int LogTailBytes = 4096;

    public async Task<(HttpReply Reply, bool Drop)> AnswerAsync(Remote.HttpHead request, string name, string query, byte[] body, string requestId)
    {
        var options = emulator.Options;
        var (qualifiedArn, notFound) = FunctionLookup.Find(name, FunctionLookup.QueryValue(query, "Qualifier"), options, requestId);
        if (notFound is not null) return (notFound, false);

        string? type = request.Get("X-Amz-Invocation-Type");
        if (type is not (null or "RequestResponse" or "Event" or "DryRun"))
            return (LambdaErrors.InvalidParameter($"Invalid invocation type: {type}.", requestId), false);
        if (body.Length > 0 && JsonPayload.Problem(body) is { } problem)
            return (LambdaErrors.InvalidRequestContent($"Could not parse request body into json: Could not parse payload into json: {problem}", requestId), false);
        if (type == "DryRun") return (new HttpReply(204, [], ("x-amzn-RequestId", requestId)), false);
        if (type == "Event")
        {
            string eventId = emulator.Enqueue(body, qualifiedArn!);
            return (new HttpReply(202, [], ("x-amzn-RequestId", eventId)), false);
        }

        bool tail = request.Get("X-Amz-Log-Type") == "Tail";
        var result = await emulator.InvokeAsync(body, qualifiedArn!);
        if (result is null) return (LambdaErrors.Throttled(options.RetryAfterSeconds, options.ConcurrencyReserved, requestId), false);

        var reply = new HttpReply(200, result.Outcome.Payload,
            ("Content-Type", "application/json"),
            ("x-amzn-RequestId", result.Invocation.RequestId),
            ("X-Amz-Executed-Version", "$LATEST"));
        if (result.Outcome.Failed) reply.Fields.Add(new("X-Amz-Function-Error", "Unhandled"));
        if (tail) reply.Fields.Add(new("X-Amz-Log-Result", Convert.ToBase64String(LastBytes(result.Log, LogTailBytes))));
        return (reply, result.DropResponse);
    }

    private static byte[] LastBytes(string text, int count)
    {
        byte[] all = Encoding.UTF8.GetBytes(text);
        return all.Length <= count ? all : all[^count..];
    }
}
