using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Execution;

/// <summary>Hands a scan's tasks to where they run and their results to <see cref="TaskResults"/>: local cores, or Lambda.</summary>
public interface ITaskExecutor
{
    /// <summary>
    /// Runs every task of <paramref name="results"/> (in its order), or skips it once <paramref name="ct"/>, the scan's
    /// one stop (Ctrl-C, grep -q's first hit, a closed output), is cancelled.
    /// </summary>
    void Run(TaskResults results, CancellationToken ct);
}
