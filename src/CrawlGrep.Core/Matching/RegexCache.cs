using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>Compiling a regex costs milliseconds; scans of many files share one instance per pattern.</summary>
public static class RegexCache
{
    private static readonly ConcurrentDictionary<(string, RegexOptions, TimeSpan), Regex> Cache = new();

    public static Regex Get(string pattern, RegexOptions options, TimeSpan timeout) =>
        Cache.GetOrAdd((pattern, options, timeout), k => new Regex(k.Item1, k.Item2, k.Item3));
}
