using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The Lambda Runtime API (2018-06-01) of one worker, on its own 127.0.0.1 port: /invocation/next blocks until the
/// worker is given an invocation; /response, /error and /init/error end it. Requests naming an invocation other
/// than the one running are refused, as Lambda refuses them.
/// </summary>
internal sealed class RuntimeApi : IDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";
    private static readonly byte[] Accepted = Encoding.UTF8.GetBytes("{\"status\":\"OK\"}");

    private readonly EmulatedWorker _worker;
    private readonly LoopbackListener _listener;

    public RuntimeApi(EmulatedWorker worker)
    {
        _worker = worker;
        _listener = new LoopbackListener(ServeConnectionAsync);
    }

    public int Port => _listener.Port;

    public void Dispose() => _listener.Dispose();

    private async Task ServeConnectionAsync(Socket socket, CancellationToken ct)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpReader(stream);
        while (await reader.ReadHeadAsync(ct) is { } request)
        {
            var (body, length) = await HttpBody.ReadAsync(reader, request, EmulatorOptions.MaxPayloadBytes, ct);
            bool keepAlive = request.KeepAlive(request.RequestVersion);
            var reply = await AnswerAsync(request, body, length, ct);
            await reply.WriteAsync(stream, keepAlive, ct);
            if (!keepAlive) break;
        }
    }

    private async Task<HttpReply> AnswerAsync(HttpHead request, byte[]? body, long length, CancellationToken ct)
    {
        string path = request.Target.Split('?', 2)[0];
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return NotFound(path);
        string[] parts = path[Prefix.Length..].Split('/');

        if (parts is ["invocation", "next"] && request.Method == "GET")
        {
            var invocation = await _worker.NextAsync(ct);
            if (invocation is null)
                return LambdaErrors.Runtime(403, "InvalidStateTransition", "State transition from Running to Ready failed: the invocation in flight has no response yet");
            return new HttpReply(200, invocation.Payload,
                ("Content-Type", "application/json"),
                ("Lambda-Runtime-Aws-Request-Id", invocation.RequestId),
                ("Lambda-Runtime-Deadline-Ms", invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
                ("Lambda-Runtime-Invoked-Function-Arn", invocation.InvokedArn),
                ("Lambda-Runtime-Trace-Id", invocation.TraceId));
        }

        if (parts is ["invocation", var id, "response" or "error"] && request.Method == "POST")
        {
            var running = _worker.Running(Uri.UnescapeDataString(id));
            if (running is null) return LambdaErrors.Runtime(400, "InvalidRequestID", "Invalid request ID");
            if (parts[2] == "response")
            {
                if (body is null)
                {
                    running.Outcome.TrySetResult(InvocationOutcome.Error("Function.ResponseSizeTooLarge", LambdaErrors.ResponseSizeTooLarge(), "error"));
                    return LambdaErrors.Runtime(413, "RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({EmulatorOptions.MaxPayloadBytes + 100} bytes).");
                }
                running.Outcome.TrySetResult(InvocationOutcome.Success(body));
                return new HttpReply(202, Accepted, ("Content-Type", "application/json"));
            }
            var (errorType, payload) = FunctionError(request, body, length);
            running.Outcome.TrySetResult(InvocationOutcome.Error(errorType, payload, "error"));
            return new HttpReply(202, Accepted, ("Content-Type", "application/json"));
        }

        if (parts is ["init", "error"] && request.Method == "POST")
        {
            var (errorType, payload) = FunctionError(request, body, length);
            if (!_worker.InitFailed(errorType, payload))
                return LambdaErrors.Runtime(403, "InvalidStateTransition", "State transition from Ready to InitError failed: init already completed");
            // Answer first, then end the process: Lambda tears down an environment whose init failed.
            _ = Task.Run(async () => { await Task.Delay(100, CancellationToken.None); _worker.Kill(); }, CancellationToken.None);
            return new HttpReply(202, Accepted, ("Content-Type", "application/json"));
        }

        return NotFound(path);
    }

    /// <summary>
    /// The payload of an /error or /init/error post: the worker's JSON as it sent it, or, when it sent none,
    /// one made from its Lambda-Runtime-Function-Error-Type header.
    /// </summary>
    private static (string ErrorType, byte[] Payload) FunctionError(HttpHead request, byte[]? body, long length)
    {
        string errorType = request.Get("Lambda-Runtime-Function-Error-Type") is { Length: > 0 } t ? t : "Runtime.Unknown";
        if (body is { Length: > 0 }) return (errorType, body);
        string message = body is null ? $"error body of {length} bytes is over the payload limit" : "";
        return (errorType, LambdaErrors.FunctionError(errorType, message));
    }

    private static HttpReply NotFound(string path) =>
        LambdaErrors.Runtime(404, "UnknownRoute", $"No Runtime API route for {path}");
}
