using System.Text.Json;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Planning;

/// <summary>The remote settings a plan was made with.</summary>
public sealed record PlanRemote(string? S3Endpoint, string? Region)
{
    /// <summary>The settings worth keeping with a plan; null when they are the defaults.</summary>
    public static PlanRemote? Of(RemoteOptions o) => o.S3Endpoint is null && o.Region is null ? null : new PlanRemote(o.S3Endpoint, o.Region);

    public RemoteOptions ToOptions() => new() { S3Endpoint = S3Endpoint, Region = Region };
}

/// <summary>
/// Where a Lambda scan's workers write every task's partial result: <c>RESULTS/SCANKEY/TASKID.partial.zst</c>. Kept
/// with the scan's plan, so <c>crawlgrep collect</c> and <c>resume</c> find what workers finished after the client
/// went away (a detached scan, a laptop that slept).
/// </summary>
public sealed record PlanPartials(string Results, string ScanKey)
{
    /// <summary>The prefix under which this scan's partials are.</summary>
    public string Prefix => $"{(Results.EndsWith('/') ? Results : Results + "/")}{ScanKey}/";

    /// <summary>The key of one task's partial.</summary>
    public string KeyOf(string taskId) => $"{Prefix}{taskId}.partial.zst";

    /// <summary>The task id a partial's key names, or null when the key is not a partial's.</summary>
    public string? TaskIdOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.EndsWith(".partial.zst", StringComparison.Ordinal)
            ? key[Prefix.Length..^".partial.zst".Length] : null;
}

/// <summary>A saved plan (<c>crawlgrep plan --out plan.json</c>): the tasks of one scan, run later by <c>crawlgrep run</c>.</summary>
public sealed record ScanPlan
{
    /// <summary>2: a task holds its spec, and no result file (a plan runs the same wherever its results are kept).</summary>
    public const int CurrentVersion = 2;

    public int Version { get; init; } = CurrentVersion;
    public required IReadOnlyList<ScanTask> Tasks { get; init; }

    /// <summary>Inputs that could not be planned (missing, unreachable): a resume tries them again.</summary>
    public IReadOnlyList<PlanFailure>? Unplanned { get; init; }

    /// <summary>What the scan asks for: every task's spec, and what plans the unplanned inputs later.</summary>
    public required ScanSpec Spec { get; init; }

    /// <summary>The result file the plan's scan is recorded in (a local path: kept with the plan, never with its tasks); null for none.</summary>
    public string? Db { get; init; }

    /// <summary>Where the remote inputs were read from (an S3-compatible endpoint, a region); null for the defaults.</summary>
    public PlanRemote? Remote { get; init; }

    /// <summary>
    /// The largest gap between selected records read across (<c>--max-gap</c>) when the record lists were cut; null
    /// for the default. A resume cuts the records of inputs that could not be planned the same way.
    /// </summary>
    public long? RecordGap { get; init; }

    /// <summary>Where the scan's Lambda workers write its partials; null for a scan run locally or without --results.</summary>
    public PlanPartials? Partials { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, TaskJson.Default.ScanPlan);

    /// <summary>Reads a plan; a file that is not one gets an <see cref="InvalidDataException"/> saying why.</summary>
    public static ScanPlan FromJson(string json, string name)
    {
        ScanPlan? plan;
        try { plan = JsonSerializer.Deserialize(json, TaskJson.Default.ScanPlan); }
        catch (JsonException e) { throw new InvalidDataException($"{name}: not a scan plan ({e.Message})"); }
        if (plan is null || plan.Tasks is null) throw new InvalidDataException($"{name}: not a scan plan (no tasks)");
        if (plan.Version != CurrentVersion) throw new InvalidDataException($"{name}: plan version {plan.Version}, this crawlgrep reads version {CurrentVersion} (plan it again)");
        if (plan.Spec is null) throw new InvalidDataException($"{name}: not a scan plan (no spec)");
        foreach (var t in plan.Tasks)
        {
            if (t.Validate() is { } bad) throw new InvalidDataException($"{name}: task {t.Id}: {bad}");
            if (t.Id != t.ComputeId()) throw new InvalidDataException($"{name}: task {t.Id} does not match its content (edited by hand?)");
            if (t.Spec != plan.Spec) throw new InvalidDataException($"{name}: task {t.Id} asks for other patterns, filters or limits than the plan: run them as separate plans");
        }
        return plan;
    }
}
