using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// A function as the Invoke API accepts it: a name (my-function), a partial ARN (123456789012:function:my-function)
/// or a full ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function), each optionally ending in
/// :version or :alias. The text goes into the request path as given; a full ARN also names the region.
/// </summary>
public sealed partial record LambdaFunctionName(string Text, string Name, string? Qualifier, string? Region, string? AccountId)
{
    /// <summary>Reads a name or ARN; throws ArgumentException, naming the text, when it is neither.</summary>
    public static LambdaFunctionName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] p = text.Split(':');
        LambdaFunctionName? parsed = p.Length switch
        {
            1 or 2 => new(text, p[0], p.Length == 2 ? p[1] : null, null, null),
            3 or 4 when p[1] == "function" => new(text, p[2], p.Length == 4 ? p[3] : null, null, p[0]),
            7 or 8 when p[0] == "arn" && p[1].StartsWith("aws", StringComparison.Ordinal) && p[2] == "lambda" && p[5] == "function"
                        && p[3].Length > 0 => new(text, p[6], p.Length == 8 ? p[7] : null, p[3], p[4]),
            _ => null,
        };
        if (parsed is null || !NamePattern().IsMatch(parsed.Name) || parsed.Qualifier is { } q && !QualifierPattern().IsMatch(q)
            || parsed.AccountId is { } a && !AccountPattern().IsMatch(a))
            throw new ArgumentException($"not a Lambda function name or ARN: '{text}'", nameof(text));
        return parsed;
    }

    /// <summary>The path segment of the Invoke URL: the text with ':' and anything else reserved escaped.</summary>
    public string PathSegment => Uri.EscapeDataString(Text);

    /// <summary>The name with its qualifier, as messages show it.</summary>
    public string Display => Qualifier is null ? Name : $"{Name}:{Qualifier}";

    public override string ToString() => Text;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,140}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(\$LATEST|[A-Za-z0-9_-]{1,128})$")]
    private static partial Regex QualifierPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();
}
