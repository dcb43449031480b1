namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A FunctionName as Invoke accepts it: a name, a partial ARN (ACCOUNT:function:NAME) or a full ARN
/// (arn:aws:lambda:REGION:ACCOUNT:function:NAME), each optionally with a ":QUALIFIER". Region and account default
/// to the service's own when the form leaves them out.
/// </summary>
internal sealed record FunctionName(string Name, string Region, string AccountId, string? Qualifier)
{
    public static FunctionName? Parse(string value, string region, string accountId)
    {
        string[] parts = value.Split(':');
        return parts switch
        {
            ["arn", "aws", "lambda", var r, var a, "function", var n] => Valid(n, r, a, null),
            ["arn", "aws", "lambda", var r, var a, "function", var n, var qualifier] => Valid(n, r, a, qualifier),
            [var a, "function", var n] => Valid(n, region, a, null),
            [var a, "function", var n, var qualifier] => Valid(n, region, a, qualifier),
            [var n] => Valid(n, region, accountId, null),
            [var n, var qualifier] => Valid(n, region, accountId, qualifier),
            _ => null,
        };
    }

    private static FunctionName? Valid(string name, string region, string accountId, string? qualifier) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && qualifier is not ""
            ? new FunctionName(name, region, accountId, qualifier)
            : null;
}
