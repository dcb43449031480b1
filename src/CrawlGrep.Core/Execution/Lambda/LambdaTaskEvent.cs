using System.Text.Json;
using System.Text.Json.Serialization;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// The event one invocation of the worker function gets: one task, and what running it needs besides. Nothing in it
/// is a credential or a local path: the worker reads its source with the function's own role.
/// </summary>
public sealed record LambdaTaskEvent
{
    public required ScanTask Task { get; init; }

    /// <summary>A key of the scan the task belongs to: where its partial goes under <see cref="Results"/>.</summary>
    public required string ScanKey { get; init; }

    /// <summary>An <c>s3://bucket/prefix/</c> for partials too large to return inline; null: inline only.</summary>
    public string? Results { get; init; }

    /// <summary>Where the task's source is read from (an S3-compatible endpoint, a region); null for AWS's defaults.</summary>
    public PlanRemote? Remote { get; init; }

    /// <summary>Only which lines match is wanted (-c, -l, -q with nothing recorded).</summary>
    public bool LinesOnly { get; init; }

    /// <summary>Partials up to this size (compressed) come back inline; larger ones go to <see cref="Results"/>.</summary>
    public int MaxInlineBytes { get; init; } = LambdaLimits.DefaultMaxInlinePartial;

    /// <summary>
    /// The spacing (ms) the worker starts its source requests at: the coordinator's pace for the whole fleet when the
    /// source has pushed back on other workers; 0 when it has not.
    /// </summary>
    public double SourcePacingMs { get; init; }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, LambdaJson.Default.LambdaTaskEvent);

    /// <summary>The event, or an <see cref="InvalidDataException"/> saying why it is not one.</summary>
    public static LambdaTaskEvent FromJson(ReadOnlySpan<byte> json)
    {
        LambdaTaskEvent? e;
        try { e = JsonSerializer.Deserialize(json, LambdaJson.Default.LambdaTaskEvent); }
        catch (JsonException x) { throw new InvalidDataException($"not a crawlgrep task event: {x.Message}"); }
        if (e?.Task is null || string.IsNullOrEmpty(e.ScanKey)) throw new InvalidDataException("not a crawlgrep task event: no task or scan key");
        if (e.Task.Id != e.Task.ComputeId()) throw new InvalidDataException($"task {e.Task.Id} does not match its content");
        return e;
    }
}

/// <summary>What the worker returns for a task: its partial inline (base64 of the zstd bytes) or where in S3 it is.</summary>
public sealed record LambdaTaskResponse
{
    public required string TaskId { get; init; }
    public string? Partial { get; init; }
    public string? PartialKey { get; init; }
    /// <summary>The partial's compressed size.</summary>
    public long PartialBytes { get; init; }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, LambdaJson.Default.LambdaTaskResponse);

    public static LambdaTaskResponse FromJson(ReadOnlySpan<byte> json)
    {
        LambdaTaskResponse? r;
        try { r = JsonSerializer.Deserialize(json, LambdaJson.Default.LambdaTaskResponse); }
        catch (JsonException x) { throw new InvalidDataException($"not a crawlgrep worker response: {x.Message}"); }
        if (r is null || string.IsNullOrEmpty(r.TaskId) || (r.Partial is null && r.PartialKey is null))
            throw new InvalidDataException("not a crawlgrep worker response: no task id or partial");
        return r;
    }
}

/// <summary>Lambda's documented limits the worker and the executor keep to.</summary>
public static class LambdaLimits
{
    /// <summary>A synchronous invocation's request and response payloads: 6 MB each.</summary>
    public const int MaxPayload = 6 * 1024 * 1024;

    /// <summary>An asynchronous (Event) invocation's request payload: 1 MB.</summary>
    public const int MaxEventPayload = 1024 * 1024;

    /// <summary>The largest partial returned inline: base64 makes 4 MB into 5.3 MB, leaving room under <see cref="MaxPayload"/>.</summary>
    public const int DefaultMaxInlinePartial = 4 * 1024 * 1024;
}

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LambdaTaskEvent))]
[JsonSerializable(typeof(LambdaTaskResponse))]
[JsonSerializable(typeof(LambdaErrorBody))]
internal sealed partial class LambdaJson : JsonSerializerContext;

/// <summary>The error shape of the Runtime API (and of a function error returned by Invoke).</summary>
public sealed record LambdaErrorBody(string ErrorMessage, string ErrorType, IReadOnlyList<string>? StackTrace = null)
{
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, LambdaJson.Default.LambdaErrorBody);

    public static LambdaErrorBody? TryParse(ReadOnlySpan<byte> json)
    {
        try { return JsonSerializer.Deserialize(json, LambdaJson.Default.LambdaErrorBody); }
        catch (JsonException) { return null; }
    }
}
