using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Runs a scan's tasks on this machine's cores, one <see cref="TaskRunner"/> per worker thread, handing tasks out in
/// plan order. Finished tasks are committed on one writer thread while the next ones are scanned.
/// </summary>
public sealed class LocalExecutor(ScanOptions options, int threads, Func<string, IByteSource> open) : ITaskExecutor
{
    public void Run(TaskResults results, CancellationToken ct)
    {
        var tasks = results.Tasks;
        try
        {
            IndexWorkers.Run(tasks.Count, threads,
                () => new TaskRunner(options, open),
                (index, runner) =>
                {
                    var task = tasks[index];
                    bool full = results.IsFull(task.Source);
                    if (ct.IsCancellationRequested || full)
                    {
                        // A full input (-m) is done; a stopped scan leaves the task to a resume.
                        results.Skip(index, stopped: !full);
                        return;
                    }
                    var collector = results.Begin(index);
                    results.CompleteLater(index, collector, runner.Run(task, collector, ct));
                },
                runner => runner.Dispose());
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is IOException))
        {
            throw e.InnerExceptions[0]; // the output went away (e.g. | head): the caller stops like grep
        }
        finally { results.Drain(); } // every task run is committed before the scan is closed
    }
}
