using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The emulated Lambda API's front: a request's size limits (6 MB, 1 MB for an Event) and then its signature are
/// checked before anything else, as the service checks them, and it goes to the operation its method and path name:
/// Invoke, GetFunction or GetAccountSettings. Any other is UnknownOperationException.
/// </summary>
internal sealed class ServiceApi
{
    private const string FunctionsPrefix = "/2015-03-31/functions/";
    private const string InvocationsSuffix = "/invocations";
    private const string AccountSettingsPath = "/2016-08-19/account-settings";

    private readonly LambdaEmulator _emulator;
    private readonly SigV4Verifier _verifier;
    private readonly InvokeApi _invoke;

    public ServiceApi(LambdaEmulator emulator, SigV4Verifier verifier)
    {
        _emulator = emulator;
        _verifier = verifier;
        _invoke = new InvokeApi(emulator);
    }

    /// <param name="body">The request body, or null when it was over the 6 MB limit.</param>
    /// <param name="length">The body's length, whether it was kept or not.</param>
    public async Task<(HttpReply Reply, bool Drop)> AnswerAsync(HttpHead request, byte[]? body, long length)
    {
        string requestId = Guid.NewGuid().ToString();
        string target = request.Target;
        int q = target.IndexOf('?');
        string path = q < 0 ? target : target[..q];
        string query = q < 0 ? "" : target[(q + 1)..];
        bool invoke = request.Method == "POST" && path.StartsWith(FunctionsPrefix, StringComparison.Ordinal)
                      && path.EndsWith(InvocationsSuffix, StringComparison.Ordinal) && path.Length > FunctionsPrefix.Length + InvocationsSuffix.Length;

        if (invoke && request.Get("X-Amz-Invocation-Type") == "Event" && length > EmulatorOptions.MaxEventPayloadBytes)
            return (LambdaErrors.EventTooLarge(length, requestId), false);
        if (body is null) return (LambdaErrors.RequestTooLarge(requestId), false);

        var check = _verifier.Verify(request, body, DateTimeOffset.UtcNow);
        if (!check.IsValid) return (LambdaErrors.Service(403, check.ErrorType!, check.Message, requestId), false);

        if (invoke)
            return await _invoke.AnswerAsync(request, Uri.UnescapeDataString(path[FunctionsPrefix.Length..^InvocationsSuffix.Length]), query, body, requestId);
        if (request.Method == "GET" && path.StartsWith(FunctionsPrefix, StringComparison.Ordinal) && path.Length > FunctionsPrefix.Length
            && path.IndexOf('/', FunctionsPrefix.Length) < 0)
            return (GetFunctionApi.Answer(_emulator, Uri.UnescapeDataString(path[FunctionsPrefix.Length..]), query, requestId), false);
        if (request.Method == "GET" && path.TrimEnd('/') == AccountSettingsPath)
            return (AccountSettingsApi.Answer(_emulator, requestId), false);
        return (LambdaErrors.Service(404, "UnknownOperationException", $"Unknown operation: {request.Method} {path}", requestId), false);
    }
}
