using System.Text;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The Invoke operation of the Lambda API (2015-03-31) over HTTP: payload limit, signature, function name or ARN
/// and qualifier, invocation type, then the invocation itself, answered as Lambda answers: 200 with the function's
/// payload (X-Amz-Function-Error when it failed, X-Amz-Log-Result on request) or an AWS-shaped service error.
/// </summary>
internal sealed class InvokeApi
{
    private const string FunctionsPrefix = "/2015-03-31/functions/";
    private const string InvocationsSuffix = "/invocations";
    private const int LogTailBytes = 4096;

    private readonly LambdaEmulator _emulator;
    private readonly SigV4Verifier _verifier;

    public InvokeApi(LambdaEmulator emulator, SigV4Verifier verifier)
    {
        _emulator = emulator;
        _verifier = verifier;
    }

    /// <param name="body">The request body, or null when it was over the payload limit.</param>
    public async Task<(HttpReply Reply, bool Drop)> AnswerAsync(HttpHead request, byte[]? body, long length)
    {
        string requestId = Guid.NewGuid().ToString();
        var options = _emulator.Options;
        if (body is null) return (LambdaErrors.RequestTooLarge(requestId), false);

        var check = _verifier.Verify(request, body, DateTimeOffset.UtcNow);
        if (!check.IsValid) return (LambdaErrors.Service(403, check.ErrorType!, check.Message, requestId), false);

        string target = request.Target;
        int q = target.IndexOf('?');
        string path = q < 0 ? target : target[..q];
        if (request.Method != "POST" || !path.StartsWith(FunctionsPrefix, StringComparison.Ordinal) || !path.EndsWith(InvocationsSuffix, StringComparison.Ordinal)
            || path.Length <= FunctionsPrefix.Length + InvocationsSuffix.Length)
            return (LambdaErrors.Service(404, "UnknownOperationException", $"Unknown operation: {request.Method} {path}", requestId), false);

        string name = Uri.UnescapeDataString(path[FunctionsPrefix.Length..^InvocationsSuffix.Length]);
        string? qualifier = q < 0 ? null : QueryValue(target[(q + 1)..], "Qualifier");
        if (FunctionName.Parse(name, options.Region, options.AccountId) is not { } function)
            return (LambdaErrors.Service(400, "ValidationException",
                $"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", requestId), false);
        if (qualifier is not null && function.Qualifier is not null && qualifier != function.Qualifier)
            return (LambdaErrors.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.", requestId), false);
        qualifier ??= function.Qualifier;
        string arn = $"arn:aws:lambda:{function.Region}:{function.AccountId}:function:{function.Name}";
        string qualifiedArn = qualifier is null ? arn : $"{arn}:{qualifier}";
        if (function.Name != options.FunctionName || function.Region != options.Region || function.AccountId != options.AccountId
            || qualifier is not (null or "$LATEST"))
            return (LambdaErrors.FunctionNotFound(qualifiedArn, requestId), false);

        switch (request.Get("X-Amz-Invocation-Type"))
        {
            case null or "RequestResponse":
                break;
            case "DryRun":
                return (new HttpReply(204, [], ("x-amzn-RequestId", requestId)), false);
            case "Event":
                return (LambdaErrors.InvalidParameter("Asynchronous (Event) invocations are not emulated; use RequestResponse.", requestId), false);
            case var other:
                return (LambdaErrors.InvalidParameter($"Invalid invocation type: {other}.", requestId), false);
        }
        bool tail = request.Get("X-Amz-Log-Type") == "Tail";

        var result = await _emulator.InvokeAsync(body, qualifiedArn);
        if (result is null) return (LambdaErrors.Throttled(options.RetryAfterSeconds, requestId), false);

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

    private static string? QueryValue(string query, string name)
    {
        foreach (string part in query.Split('&'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && Uri.UnescapeDataString(part[..eq]) == name) return Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return null;
    }
}
