namespace CrawlGrep.Core.Matching;

/// <summary>grep's pattern flags: -F, -i, -w.</summary>
public sealed record MatchOptions
{
    public bool FixedStrings { get; init; }
    public bool IgnoreCase { get; init; }
    public bool WordRegexp { get; init; }
    /// <summary>A regex that runs longer than this on one line is abandoned with a warning, so no pattern hangs a scan.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
