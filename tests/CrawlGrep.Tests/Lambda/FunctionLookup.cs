namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Finds the emulated function from a request's FunctionName (name, partial or full ARN, with a ":qualifier" or not)
/// and its Qualifier parameter, as every function operation does: the qualified ARN it names, or the error Lambda
/// answers (400 for a malformed name or clashing qualifiers, 404 for any other function, version or alias).
/// </summary>
internal static class FunctionLookup
{
    public static (string? QualifiedArn, HttpReply? Error) Find(string name, string? qualifier, EmulatorOptions options, string requestId)
    {
        if (FunctionName.Parse(name, options.Region, options.AccountId) is not { } function)
            return (null, LambdaErrors.Service(400, "ValidationException",
                $"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", requestId));
        if (qualifier is not null && function.Qualifier is not null && qualifier != function.Qualifier)
            return (null, LambdaErrors.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.", requestId));
        qualifier ??= function.Qualifier;
        string arn = $"arn:aws:lambda:{function.Region}:{function.AccountId}:function:{function.Name}";
        string qualifiedArn = qualifier is null ? arn : $"{arn}:{qualifier}";
        if (function.Name != options.FunctionName || function.Region != options.Region || function.AccountId != options.AccountId
            || qualifier is not (null or "$LATEST"))
            return (null, LambdaErrors.FunctionNotFound(qualifiedArn, requestId));
        return (qualifiedArn, null);
    }

    /// <summary>A query parameter's value, percent-decoded; null when the query does not have it.</summary>
    public static string? QueryValue(string query, string name)
    {
        foreach (string part in query.Split('&'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && Uri.UnescapeDataString(part[..eq]) == name) return Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return null;
    }
}
