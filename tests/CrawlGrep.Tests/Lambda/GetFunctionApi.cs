using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The GetFunction operation (GET /2015-03-31/functions/{FunctionName}): the function's configuration as Lambda
/// shapes it (name, ARN, provided.al2023, memory, timeout in seconds, architectures, environment ...), where its code
/// is, and its reserved concurrency, present only when some is reserved.
/// </summary>
internal static class GetFunctionApi
{
    public static HttpReply Answer(LambdaEmulator emulator, string name, string query, string requestId)
    {
        var options = emulator.Options;
        var (qualifiedArn, notFound) = FunctionLookup.Find(name, FunctionLookup.QueryValue(query, "Qualifier"), options, requestId);
        if (notFound is not null) return notFound;

        var configuration = new Dictionary<string, object>
        {
            ["FunctionName"] = options.FunctionName,
            ["FunctionArn"] = qualifiedArn!,
            ["Runtime"] = "provided.al2023",
            ["Role"] = $"arn:aws:iam::{options.AccountId}:role/{options.FunctionName}-role",
            ["Handler"] = options.Handler,
            ["CodeSize"] = options.CodeSizeBytes,
            ["Description"] = "",
            ["Timeout"] = Math.Max(1, (int)Math.Ceiling(options.Timeout.TotalSeconds)),
            ["MemorySize"] = options.MemorySizeMb,
            ["LastModified"] = emulator.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            // A stand-in for the package's hash: the same for the same worker command.
            ["CodeSha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(options.Command.ToString()))),
            ["Version"] = "$LATEST",
            ["Environment"] = new Dictionary<string, object> { ["Variables"] = options.Environment },
            ["TracingConfig"] = new Dictionary<string, string> { ["Mode"] = "PassThrough" },
            ["State"] = "Active",
            ["LastUpdateStatus"] = "Successful",
            ["PackageType"] = "Zip",
            ["Architectures"] = options.Architectures,
            ["EphemeralStorage"] = new Dictionary<string, int> { ["Size"] = 512 },
            ["LoggingConfig"] = new Dictionary<string, string> { ["LogFormat"] = "Text", ["LogGroup"] = $"/aws/lambda/{options.FunctionName}" },
        };
        var body = new Dictionary<string, object>
        {
            ["Configuration"] = configuration,
            ["Code"] = new Dictionary<string, string>
            {
                ["RepositoryType"] = "S3",
                ["Location"] = $"https://awslambda-{options.Region}-tasks.s3.{options.Region}.amazonaws.com/snapshots/{options.AccountId}/{options.FunctionName}-{requestId}",
            },
        };
        if (options.ConcurrencyReserved)
            body["Concurrency"] = new Dictionary<string, int> { ["ReservedConcurrentExecutions"] = emulator.Concurrency };
        return new HttpReply(200, JsonSerializer.SerializeToUtf8Bytes(body),
            ("Content-Type", "application/json"), ("x-amzn-RequestId", requestId));
    }
}
