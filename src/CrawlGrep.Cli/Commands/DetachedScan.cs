using CrawlGrep.Core.Execution.Lambda;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>--detach</c>: the scan is recorded, its tasks are handed to Lambda as asynchronous invocations, and the command
/// returns with the scan id on stdout. Lambda's queue runs them (and retries a failed one twice); the workers write
/// every partial to the results prefix, which <c>crawlgrep collect</c> reads into the result file.
/// </summary>
internal static class DetachedScan
{
    public static int Dispatch(ScanJob job, LambdaSettings lambda, LambdaTarget target, LambdaClient client, ResultStore store, long scanId, PlanPartials partials, bool linesOnly)
    {
        var err = Console.Error;
        using (store)
        {
            var executor = new LambdaExecutor(client, lambda.ExecutorOptions(target, partials.ScanKey, PlanRemote.Of(job.Sources.Options), linesOnly) with
            {
                Results = partials.Results,
            }, job.Sources);
            IReadOnlyList<(ScanTask Task, string Error)> refused;
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try { refused = executor.DispatchAsync(job.Tasks, cts.Token).GetAwaiter().GetResult(); }
            catch (OperationCanceledException)
            {
                err.WriteLine($"crawlgrep: interrupted after {executor.Counters.Answered:N0} of {job.Tasks.Count:N0} tasks were invoked; " +
                              $"crawlgrep collect {scanId} gathers their results, crawlgrep resume {scanId} invokes the rest");
                return ScanRun.ExitInterrupted;
            }
            catch (Exception e) when (e is LambdaException or Core.Aws.AwsCredentialsNotFoundException or InvalidOperationException)
            {
                err.WriteLine($"crawlgrep: {e.Message}");
                try { store.FinishScan(scanId, new Core.Scanning.ScanStats(), ScanStatus.Incomplete); } catch (ResultStoreException) { }
                return ScanRun.ExitError;
            }
            finally { Console.CancelKeyPress -= onCancel; }

            foreach (var (task, error) in refused) err.WriteLine($"crawlgrep: {task.Source} [{task.Start}, {task.End}): not invoked: {error}");
            long invoked = job.Tasks.Count - refused.Count;
            Console.Out.WriteLine(scanId);
            err.WriteLine($"crawlgrep: scan {scanId} detached: {invoked:N0} of {job.Tasks.Count:N0} tasks invoked on {lambda.Function} " +
                          $"({executor.Counters.Throttled:N0} throttled and sent again); their results go to {partials.Prefix}");
            err.WriteLine($"crawlgrep: `crawlgrep collect {scanId}` gathers what has finished; `crawlgrep resume {scanId}` invokes what is missing");
            return refused.Count > 0 ? ScanRun.ExitError : ScanRun.ExitMatch;
        }
    }
}
