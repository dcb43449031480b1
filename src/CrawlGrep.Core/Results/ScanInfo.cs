namespace CrawlGrep.Core.Results;

/// <summary>What a scan was asked to do: the row that <see cref="ResultStore.BeginScan"/> writes to <c>scans</c>.</summary>
/// <param name="Command">The command line or job name that started the scan.</param>
/// <param name="Patterns">The scan's patterns, in pattern-index order.</param>
/// <param name="Inputs">The sources as given (paths, URLs, globs).</param>
/// <param name="StartedAt">Start time (UTC); now when null.</param>
public sealed record ScanInfo(
    string Command,
    IReadOnlyList<string> Patterns,
    IReadOnlyList<string> Inputs,
    DateTime? StartedAt = null);
