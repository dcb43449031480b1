using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Execution;

/// <summary>Hands a scan's tasks to where they run and their results to <see cref="TaskResults"/>: local cores, or Lambda.</summary>
public interface ITaskExecutor
{
    /// <summary>Runs every task of <paramref name="results"/> (in its order), or skips it when the scan is stopped.</summary>
    void Run(TaskResults results, CancellationToken ct);
}
