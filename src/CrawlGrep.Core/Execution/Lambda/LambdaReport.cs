using System.Globalization;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// The REPORT line Lambda writes at the end of each invocation's log, as X-Amz-Log-Type: Tail returns it: what
/// the invocation cost (billed time at its memory size) and how near it came to its memory limit. Init Duration is
/// there only for cold starts. Every field is optional: a field Lambda adds or drops later must not break a scan.
/// </summary>
public sealed partial record LambdaReport(
    string? RequestId,
    double? DurationMs,
    long? BilledDurationMs,
    int? MemorySizeMb,
    int? MaxMemoryUsedMb,
    double? InitDurationMs)
{
    /// <summary>Whether this invocation started a new execution environment.</summary>
    public bool ColdStart => InitDurationMs is not null;

    /// <summary>The GB-seconds Lambda bills for it (billed duration × memory size), when both are known.</summary>
    public double? GbSeconds => BilledDurationMs is long ms && MemorySizeMb is int mb ? ms / 1000.0 * (mb / 1024.0) : null;

    /// <summary>The last REPORT line of a log tail, or null when the tail has none.</summary>
    public static LambdaReport? Parse(string? logTail)
    {
        if (string.IsNullOrEmpty(logTail)) return null;
        string? line = logTail.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("REPORT ", StringComparison.Ordinal));
        if (line is null) return null;

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Field().Matches(line)) fields.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        return new LambdaReport(
            fields.GetValueOrDefault("RequestId"),
            Number(fields, "Duration"),
            Number(fields, "Billed Duration") is double billed ? (long)Math.Round(billed) : null,
            Number(fields, "Memory Size") is double size ? (int)size : null,
            Number(fields, "Max Memory Used") is double used ? (int)used : null,
            Number(fields, "Init Duration"));
    }

    private static double? Number(Dictionary<string, string> fields, string label) =>
        fields.TryGetValue(label, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : null;

    // The longer labels come first so "Billed Duration" is not read as "Duration"; the leftmost match wins anyway.
    [GeneratedRegex(@"\b(RequestId|Billed Restore Duration|Restore Duration|Billed Duration|Init Duration|Max Memory Used|Memory Size|Duration):\s*(\S+)")]
    private static partial Regex Field();
}
