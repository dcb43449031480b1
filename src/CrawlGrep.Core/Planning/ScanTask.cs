using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// The unit of work (see DESIGN.md): one byte range of one source and the scan's <see cref="ScanSpec"/>, the same
/// locally and on a remote worker. <see cref="Id"/> is a hash of everything else, so a retried or duplicated task
/// is recognised as the same one. A record-list task (an index-guided scan) owns the records it lists instead of a
/// whole range, and reads only the ranges that hold them.
/// </summary>
public sealed record ScanTask
{
    public string Id { get; init; } = "";
    /// <summary>The input as the user named it (path or URL): the <c>file</c> column of its hits.</summary>
    public required string Source { get; init; }
    /// <summary>
    /// The task owns the records whose first byte lies in [Start, End). For a record-list task: from the start of
    /// its first read to the end of its last.
    /// </summary>
    public long Start { get; init; }
    public long End { get; init; }
    /// <summary>"warc.gz", "warc.zst" or "warc", as found at the head of the source; <see cref="FormatReadAtScan"/> for a
    /// whole-input task whose head was not read when it was planned.</summary>
    public required string Format { get; init; }

    public const string FormatReadAtScan = "auto";
    /// <summary>The crawl name read from the source's path or head (for ranges that do not start there).</summary>
    public string? Crawl { get; init; }
    public required ScanSpec Spec { get; init; }

    /// <summary>
    /// A record-list task: the records it owns, as compressed offset and length (the index's), sorted by offset with
    /// no offset twice. Only these are matched; other records its reads pass through are skipped. Null for a range
    /// task (and then absent from its JSON, so its id is what it always was).
    /// </summary>
    public IReadOnlyList<FileExtent>? Records { get; init; }

    /// <summary>
    /// Where a record-list task reads its records: ranges of the source, one request each, sorted and apart, each
    /// starting where a listed record starts. Null for a range task.
    /// </summary>
    public IReadOnlyList<FileExtent>? Reads { get; init; }

    /// <summary>The bytes the task is sized by: its range, or the sum of a record-list task's reads.</summary>
    [JsonIgnore]
    public long Bytes => Reads is null ? End - Start : Reads.Sum(r => r.Length);

    /// <summary>Why the task cannot be run as it is (a range backwards, reads out of order), or null.</summary>
    public string? Validate()
    {
        if (Start < 0 || End < Start) return $"bad range [{Start}, {End})";
        if (Records is null) return Reads is null ? null : "reads without the records they are for";
        if (Reads is null) return "records without reads";
        for (int i = 1; i < Records.Count; i++)
            if (Records[i].Offset <= Records[i - 1].Offset) return $"records not sorted by offset at {Records[i].Offset}";
        for (int i = 0; i < Reads.Count; i++)
        {
            var r = Reads[i];
            if (r.Offset < Start || r.Length <= 0 || r.End > End) return $"read {r} outside [{Start}, {End})";
            if (i > 0 && r.Offset < Reads[i - 1].End) return $"reads not sorted and apart at {r.Offset}";
        }
        return null;
    }

    /// <summary>The task with its <see cref="Id"/> computed from the rest.</summary>
    public ScanTask WithId() => this with { Id = ComputeId() };

    /// <summary>The first 16 hex digits of SHA-256 over the task's JSON without its id.</summary>
    public string ComputeId()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this with { Id = "" }, TaskIdJson.Default.ScanTask);
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

/// <summary>
/// The JSON a task id hashes: <see cref="TaskJson"/>'s options, serialization only. Both write a task with the same
/// generated code, so the bytes are the same; this one has no metadata for the serializer to build first, which every
/// scan's start would otherwise pay for (a framework-dependent build compiles that code on the spot).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ScanTask))]
internal sealed partial class TaskIdJson : JsonSerializerContext;
