using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>Checks a pattern's syntax without building a matcher for it.</summary>
internal static class RegexParser
{
    /// <summary>Throws <see cref="RegexParseException"/> for a malformed pattern.</summary>
    public static void Validate(string pattern, RegexOptions options) =>
        // An interpreted Regex is only parsed and lowered to a small program: cheap, and the same parser.
        _ = new Regex(pattern, options & ~RegexOptions.Compiled);
}
