using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// The unit of work (see DESIGN.md): one byte range of one source and everything needed to scan it, the same
/// locally and on a remote worker. <see cref="Id"/> is a hash of everything else, so a retried or duplicated task
/// is recognised as the same one.
/// </summary>
public sealed record ScanTask
{
    public string Id { get; init; } = "";
    /// <summary>The input as the user named it (path or URL): the <c>file</c> column of its hits.</summary>
    public required string Source { get; init; }
    /// <summary>The task owns the records whose first byte lies in [Start, End).</summary>
    public long Start { get; init; }
    public long End { get; init; }
    /// <summary>"warc.gz", "warc.zst" or "warc", as found at the head of the source; <see cref="FormatReadAtScan"/> for a
    /// whole-input task whose head was not read when it was planned.</summary>
    public required string Format { get; init; }

    public const string FormatReadAtScan = "auto";
    /// <summary>The crawl name read from the source's path or head (for ranges that do not start there).</summary>
    public string? Crawl { get; init; }
    public required TaskPatterns Patterns { get; init; }
    public TaskFilters Filters { get; init; } = new();
    public TaskLimits Limits { get; init; } = new();
    public TaskOutput Output { get; init; } = new();

    /// <summary>What the task asks for without what it is run on (source, range, format, crawl): the spec a plan keeps to plan more inputs alike.</summary>
    public ScanTask AsTemplate() => this with { Id = "", Source = "", Start = 0, End = 0, Format = "", Crawl = null };

    /// <summary>The task with its <see cref="Id"/> computed from the rest.</summary>
    public ScanTask WithId() => this with { Id = ComputeId() };

    /// <summary>The first 16 hex digits of SHA-256 over the task's JSON without its id.</summary>
    public string ComputeId()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this with { Id = "" }, TaskJson.Default.ScanTask);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(json, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
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

/// <summary>Where the hits go.</summary>
public sealed record TaskOutput
{
    /// <summary>The DuckDB file the scan is recorded in; null when it is not recorded.</summary>
    public string? Db { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanTask))]
[JsonSerializable(typeof(ScanPlan))]
[JsonSerializable(typeof(PlanFailure))]
internal sealed partial class TaskJson : JsonSerializerContext;
