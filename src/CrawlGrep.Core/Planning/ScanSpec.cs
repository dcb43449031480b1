using System.Text.Json.Serialization;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// What a scan asks for: its patterns, which records, and its limits. Every task of a scan carries the same spec;
/// where the hits are kept (a local database) is not part of it, so it is the same on every machine that runs it.
/// </summary>
public sealed record ScanSpec
{
    public required TaskPatterns Patterns { get; init; }
    public TaskFilters Filters { get; init; } = new();
    public TaskLimits Limits { get; init; } = new();
}

/// <summary>The patterns and grep's pattern flags.</summary>
public sealed record TaskPatterns
{
    public required IReadOnlyList<string> Items { get; init; }
    public bool FixedStrings { get; init; }
    public bool IgnoreCase { get; init; }
    public bool WordRegexp { get; init; }

    public bool Equals(TaskPatterns? other) =>
        other is not null && Items.SequenceEqual(other.Items) && FixedStrings == other.FixedStrings
        && IgnoreCase == other.IgnoreCase && WordRegexp == other.WordRegexp;

    public override int GetHashCode() => HashCode.Combine(Items.Count, FixedStrings, IgnoreCase, WordRegexp);
}

/// <summary>Which records are matched: --type, --mime, --url.</summary>
public sealed record TaskFilters
{
    /// <summary>Null: the default types.</summary>
    public IReadOnlyList<string>? Types { get; init; }
    public IReadOnlyList<string>? Mime { get; init; }
    public string? Url { get; init; }

    public bool Equals(TaskFilters? other) =>
        other is not null && Url == other.Url && Same(Types, other.Types) && Same(Mime, other.Mime);

    public override int GetHashCode() => HashCode.Combine(Url, Types?.Count, Mime?.Count);

    private static bool Same(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}

/// <summary>Where a scan stops and how much of a match it keeps.</summary>
public sealed record TaskLimits
{
    /// <summary>grep -m: matching lines per source (not per task).</summary>
    public long? MaxLinesPerFile { get; init; }
    public int ContextBytes { get; init; } = 100;
    public int MaxMatchBytes { get; init; } = 256;
}
