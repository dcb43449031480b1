using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// The unit of work (see DESIGN.md): one byte range of one source and the scan's <see cref="ScanSpec"/>, the same
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
    public required ScanSpec Spec { get; init; }

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

    public string ToJson() => JsonSerializer.Serialize(this, TaskJson.Default.ScanTask);
}

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanTask))]
[JsonSerializable(typeof(ScanPlan))]
[JsonSerializable(typeof(PlanFailure))]
internal sealed partial class TaskJson : JsonSerializerContext;
