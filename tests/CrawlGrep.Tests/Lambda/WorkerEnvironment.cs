using System.Globalization;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The environment of a worker process: Lambda's documented variables for a provided.al2023 function, the
/// function's own credentials and its configured variables, on top of a minimal base taken from this process
/// (PATH, HOME, and what the dotnet host needs). Nothing else of the caller's environment reaches a worker: its
/// credentials least of all, since a real worker reads its source with the function's role.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>Variables passed through from this process when set: finding programs and running .NET.</summary>
    private static readonly string[] BaseNames = ["PATH", "HOME", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64"];

    public static Dictionary<string, string> Base()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in BaseNames)
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) env[name] = value;
        return env;
    }

    public static Dictionary<string, string> For(EmulatorOptions options, string runtimeApi, string taskRoot)
    {
        var env = Base();
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        env["AWS_LAMBDA_FUNCTION_NAME"] = options.FunctionName;
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = options.MemorySizeMb.ToString(CultureInfo.InvariantCulture);
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{options.FunctionName}";
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTime.UtcNow:yyyy'/'MM'/'dd}/[$LATEST]{Guid.NewGuid():N}";
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        env["AWS_REGION"] = options.Region;
        env["AWS_DEFAULT_REGION"] = options.Region;
        env["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023";
        env["LAMBDA_TASK_ROOT"] = taskRoot;
        env["LAMBDA_RUNTIME_DIR"] = taskRoot;
        env["_HANDLER"] = options.Handler;
        env["TZ"] = ":UTC";
        env["LANG"] = "en_US.UTF-8";
        env["AWS_ACCESS_KEY_ID"] = options.FunctionKeys.AccessKeyId;
        env["AWS_SECRET_ACCESS_KEY"] = options.FunctionKeys.SecretAccessKey;
        if (options.FunctionKeys.SessionToken is { } token) env["AWS_SESSION_TOKEN"] = token;
        foreach (var (name, value) in options.Environment) env[name] = value;
        return env;
    }
}
