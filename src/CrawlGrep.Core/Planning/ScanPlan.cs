using System.Text.Json;

namespace CrawlGrep.Core.Planning;

/// <summary>A saved plan (<c>crawlgrep plan --out plan.json</c>): the tasks of one scan, run later by <c>crawlgrep run</c>.</summary>
public sealed record ScanPlan
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required IReadOnlyList<ScanTask> Tasks { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, TaskJson.Default.ScanPlan);

    /// <summary>Reads a plan; a file that is not one gets an <see cref="InvalidDataException"/> saying why.</summary>
    public static ScanPlan FromJson(string json, string name)
    {
        ScanPlan? plan;
        try { plan = JsonSerializer.Deserialize(json, TaskJson.Default.ScanPlan); }
        catch (JsonException e) { throw new InvalidDataException($"{name}: not a scan plan ({e.Message})"); }
        if (plan is null || plan.Tasks is null) throw new InvalidDataException($"{name}: not a scan plan (no tasks)");
        if (plan.Version != CurrentVersion) throw new InvalidDataException($"{name}: plan version {plan.Version}, this crawlgrep reads version {CurrentVersion}");
        foreach (var t in plan.Tasks)
        {
            if (t.Start < 0 || t.End < t.Start) throw new InvalidDataException($"{name}: task {t.Id}: bad range [{t.Start}, {t.End})");
            if (t.Id != t.ComputeId()) throw new InvalidDataException($"{name}: task {t.Id} does not match its content (edited by hand?)");
        }
        return plan;
    }
}
