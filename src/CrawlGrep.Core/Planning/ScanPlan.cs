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

/// <summary>A saved plan (<c>crawlgrep plan --out plan.json</c>): the tasks of one scan, run later by <c>crawlgrep run</c>.</summary>
public sealed record ScanPlan
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required IReadOnlyList<ScanTask> Tasks { get; init; }

    /// <summary>Inputs that could not be planned (missing, unreachable): a resume tries them again.</summary>
    public IReadOnlyList<PlanFailure>? Unplanned { get; init; }

    /// <summary>What every task asks for, its source and range aside: needed to plan the unplanned inputs later.</summary>
    public ScanTask? Template { get; init; }

    /// <summary>Where the remote inputs were read from (an S3-compatible endpoint, a region); null for the defaults.</summary>
    public PlanRemote? Remote { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, TaskJson.Default.ScanPlan);

    /// <summary>Reads a plan; a file that is not one gets an <see cref="InvalidDataException"/> saying why.</summary>
    public static ScanPlan FromJson(string json, string name)
    {
        ScanPlan? plan;
        try { plan = JsonSerializer.Deserialize(json, TaskJson.Default.ScanPlan); }
        catch (JsonException e) { throw new InvalidDataException($"{name}: not a scan plan ({e.Message})"); }
        if (plan is null || plan.Tasks is null) throw new InvalidDataException($"{name}: not a scan plan (no tasks)");
        if (plan.Tasks.Count == 0 && plan.Template is null) throw new InvalidDataException($"{name}: the plan has no tasks");
        if (plan.Version != CurrentVersion) throw new InvalidDataException($"{name}: plan version {plan.Version}, this crawlgrep reads version {CurrentVersion}");
        foreach (var t in plan.Tasks)
        {
            if (t.Start < 0 || t.End < t.Start) throw new InvalidDataException($"{name}: task {t.Id}: bad range [{t.Start}, {t.End})");
            if (t.Id != t.ComputeId()) throw new InvalidDataException($"{name}: task {t.Id} does not match its content (edited by hand?)");
        }
        return plan;
    }
}
