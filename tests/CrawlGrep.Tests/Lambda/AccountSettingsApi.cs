using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The GetAccountSettings operation (GET /2016-08-19/account-settings/): the account's limits in the region, Lambda's
/// own code-size quotas among them, and its usage, for an account whose one function is the emulated one. What the
/// function reserves is taken from the unreserved pool.
/// </summary>
internal static class AccountSettingsApi
{
    private const long TotalCodeSizeLimit = 80L * 1024 * 1024 * 1024;
    private const long CodeSizeUnzippedLimit = 250L * 1024 * 1024;
    private const long CodeSizeZippedLimit = 50L * 1024 * 1024;

    public static HttpReply Answer(LambdaEmulator emulator, string requestId)
    {
        var options = emulator.Options;
        int reserved = options.ConcurrencyReserved ? emulator.Concurrency : 0;
        var body = new Dictionary<string, object>
        {
            ["AccountLimit"] = new Dictionary<string, long>
            {
                ["TotalCodeSize"] = TotalCodeSizeLimit,
                ["CodeSizeUnzipped"] = CodeSizeUnzippedLimit,
                ["CodeSizeZipped"] = CodeSizeZippedLimit,
                ["ConcurrentExecutions"] = options.AccountConcurrency,
                ["UnreservedConcurrentExecutions"] = options.AccountConcurrency - reserved,
            },
            ["AccountUsage"] = new Dictionary<string, long>
            {
                ["TotalCodeSize"] = options.CodeSizeBytes,
                ["FunctionCount"] = 1,
            },
        };
        return new HttpReply(200, JsonSerializer.SerializeToUtf8Bytes(body),
            ("Content-Type", "application/json"), ("x-amzn-RequestId", requestId));
    }
}
