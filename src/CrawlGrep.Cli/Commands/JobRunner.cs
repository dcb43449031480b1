using System.Diagnostics;
using System.Globalization;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// Does what a job has to do now (<see cref="JobAgenda"/>): under the job's lock, finishes its unfinished runs through
/// resume, then starts a run per crawl not yet done (or per schedule time of a path job), each a scan recorded in the
/// job's database and linked to its <c>job_runs</c> row before its first task runs. <c>job run</c> and <c>job tick</c> both come here.
/// </summary>
internal sealed class JobRunner(TextWriter stdout, TextWriter err)
{
    /// <summary>How a job's turn ended, for the command's exit code.</summary>
    public enum Result { Done, Nothing, Busy, Failed, Interrupted }

    /// <summary>Checks the job and does its agenda. <paramref name="byHand"/>: <c>job run</c> (always looks for work, retries failed runs).</summary>
    public Result Run(JobDefinition job, bool byHand)
    {
        using var sources = new SourceResolver(RemoteFlags.Defaults());
        JobCrawlList crawls;
        try { crawls = JobCrawlList.Check(job, sources.Open, CrawlCatalog.DefaultCacheDir(), w => err.WriteLine($"crawlgrep: warning: {w}")); }
        catch (JobFileException e) { err.WriteLine($"crawlgrep: {e.Message}"); return Result.Failed; }

        using var held = JobLock.TryTake(job.Database, job.Name);
        if (held is null)
        {
            err.WriteLine($"crawlgrep: job {job.Name} is being run by another crawlgrep (lock {JobLock.PathFor(job.Database, job.Name)}): left to it");
            return Result.Busy;
        }

        DateTime now = JobClock.Now();
        JobRecord record;
        IReadOnlyList<JobRun> runs;
        try
        {
            using var store = new ResultStore(job.Database);
            string? since = job.Input.Crawl?.Mode == JobCrawlMode.EachNew ? crawls.Since ?? crawls.NewestFirst![0] : null;
            record = store.SaveJob(job, since, sinceFromFile: crawls.Since is not null, now);
            runs = store.JobRuns(job.Name, job.Version);
        }
        catch (ResultStoreException e) { err.WriteLine($"crawlgrep: {job.Name}: {e.Message}"); return Result.Failed; }

        var agenda = JobAgenda.Plan(job, record, runs, crawls.NewestFirst, crawls.Named, now, byHand);
        bool failed = false, waiting = false, any = false;
        foreach (var run in agenda.Resume)
        {
            any = true;
            var result = Resume(job, run, crawls);
            if (result == Result.Interrupted) return result;
            failed |= result == Result.Failed;
        }
        foreach (string? crawl in agenda.Start)
        {
            var (result, unpublished) = Start(job, crawl, crawls);
            if (result == Result.Interrupted) return result;
            any |= result != Result.Nothing;
            failed |= result == Result.Failed;
            waiting |= unpublished;
        }
        // A schedule time is handled once its work has started; a crawl whose lists are not out yet keeps it due.
        if (agenda.Due && !waiting)
        {
            try { using var store = new ResultStore(job.Database); store.MarkScheduleChecked(job.Name, now); }
            catch (ResultStoreException e) { err.WriteLine($"crawlgrep: {job.Name}: {e.Message}"); failed = true; }
        }
        return failed ? Result.Failed : any ? Result.Done : Result.Nothing;
    }

    /// <summary>Starts a run on <paramref name="crawl"/> (null: the job's paths). A crawl whose file list is not published yet is left for the next tick, unrecorded.</summary>
    private (Result Result, bool Unpublished) Start(JobDefinition job, string? crawl, JobCrawlList crawls)
    {
        using var sources = new SourceResolver(RemoteFlags.Defaults());
        List<string> inputs, skipped = [];
        try
        {
            inputs = crawl is null
                ? InputExpander.Expand(job.Input.Paths!, sources, out skipped)
                : crawls.Catalog!.Files(job.Input.Crawl!.Selection(crawl)).ToList();
        }
        catch (Exception e) when (crawl is not null && e is IOException && IsNotFound(e))
        {
            err.WriteLine($"crawlgrep: job {job.Name}: {crawl}: its file list is not published yet ({e.Message}); tried again at the next tick");
            return (Result.Nothing, true);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
        {
            err.WriteLine($"crawlgrep: job {job.Name}: {crawl ?? "inputs"}: {e.Message}; nothing recorded, tried again at the next run");
            return (Result.Failed, false);
        }
        if (inputs.Count == 0)
        {
            err.WriteLine($"crawlgrep: job {job.Name}: {crawl ?? string.Join(", ", job.Input.Paths!)}: no archives to scan; nothing recorded");
            return (Result.Failed, false);
        }

        long runId;
        try { using var store = new ResultStore(job.Database); runId = store.BeginJobRun(job.Name, job.Version, crawl, JobClock.Now()); }
        catch (ResultStoreException e) { err.WriteLine($"crawlgrep: job {job.Name}: {e.Message}"); return (Result.Failed, false); }

        var lambda = Lambda(job, sources.Options.Region, out string? lambdaError);
        if (lambdaError is null && lambda is not null) lambdaError = ScanRun.LocalInputOnLambda(inputs);
        if (lambdaError is not null)
        {
            err.WriteLine($"crawlgrep: {job.File}:{job.LineOf("executor.lambda")}: {lambdaError}");
            return (Finish(job, runId, crawl, null, attempts: JobRun.MaxAttempts, ScanOutcome.Failed(), lambdaError), false);
        }
        int threads = job.Executor.Threads ?? Environment.ProcessorCount;
        var planOptions = new PlanOptions { Cores = lambda?.PlanConcurrency ?? threads };
        var plan = Planner.Plan(inputs, job.Spec, planOptions, sources.Open);
        var clock = Stopwatch.StartNew();
        long? scanId = null;
        var outcome = ScanRun.Run(Output, new ScanJob(job.Spec, job.Database, plan.Tasks, plan.Failures, job.Spec.Patterns.Items, crawl is null ? job.Input.Paths! : [crawl],
            skipped, threads, sources)
        {
            Lambda = lambda,
            OnRecorded = (store, id) => { scanId = id; store.SetJobRunScan(runId, id); },
        });
        var result = Finish(job, runId, crawl, outcome.ScanId ?? scanId, attempts: 1, outcome, null, clock.Elapsed);
        return (result, false);
    }

    /// <summary>Carries on an unfinished run: through resume when its scan was recorded, else from its plan.</summary>
    private Result Resume(JobDefinition job, JobRun run, JobCrawlList crawls)
    {
        if (run.ScanId is not long scanId)
        {
            // It died before its scan was recorded: nothing of it is in the database, so it starts afresh under its row.
            try { using var store = new ResultStore(job.Database); store.DeleteJobRun(run.RunId); }
            catch (ResultStoreException e) { err.WriteLine($"crawlgrep: job {job.Name}: {e.Message}"); return Result.Failed; }
            return Start(job, run.Crawl, crawls).Result;
        }
        try { using var store = new ResultStore(job.Database); store.RetryJobRun(run.RunId); }
        catch (ResultStoreException e) { err.WriteLine($"crawlgrep: job {job.Name}: {e.Message}"); return Result.Failed; }
        err.WriteLine($"crawlgrep: job {job.Name}: {run.Label}: resuming run {run.RunId} (scan {scanId}, try {run.Attempts + 1})");
        var clock = Stopwatch.StartNew();
        var outcome = ScanResume.Run(job.Database, scanId, Output, job.Executor.Threads ?? Environment.ProcessorCount, saved => new SourceResolver(RemoteFlags.Defaults(saved)),
            sources => (Lambda(job, sources.Options.Region, out string? error), error));
        return Finish(job, run.RunId, run.Crawl, scanId, run.Attempts + 1, outcome, null, clock.Elapsed);
    }

    /// <summary>Records how a run ended, exports it when it is complete, and prints its line.</summary>
    private Result Finish(JobDefinition job, long runId, string? crawl, long? scanId, int attempts, ScanOutcome outcome, string? error, TimeSpan elapsed = default)
    {
        bool complete = outcome.Status == ScanStatus.Complete;
        string status = complete ? JobRun.Complete
            : outcome.Code == ScanRun.ExitInterrupted ? JobRun.Incomplete
            : attempts >= JobRun.MaxAttempts ? JobRun.Failed : JobRun.Incomplete;
        error ??= complete ? null
            : outcome.Code == ScanRun.ExitInterrupted ? "interrupted"
            : $"{outcome.Totals.Errors:N0} error{(outcome.Totals.Errors == 1 ? "" : "s")}" + (scanId is long s ? $" (crawlgrep query failed-tasks; scan {s})" : "");
        string label = crawl ?? JobClock.Now().ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        string? parquet = null;
        try
        {
            using var store = new ResultStore(job.Database);
            store.FinishJobRun(runId, status, error, JobClock.Now());
            if (complete && job.ParquetTemplate is { } template && scanId is long id)
            {
                parquet = template.Replace("{job}", job.Name).Replace("{crawl}", label.Replace(':', '-')).Replace("{run}", runId.ToString(CultureInfo.InvariantCulture));
                store.Dispose(); // the export opens the file on its own
                Directory.CreateDirectory(Path.GetDirectoryName(parquet)!);
                ResultExporter.Export(job.Database, "parquet", parquet, id);
                using var again = new ResultStore(job.Database);
                again.SetJobRunParquet(runId, parquet);
            }
        }
        catch (ResultStoreException e) { err.WriteLine($"crawlgrep: job {job.Name}: {e.Message}"); status = JobRun.Incomplete; }
        catch (IOException e) { err.WriteLine($"crawlgrep: job {job.Name}: {parquet}: {e.Message}"); }

        string cost = outcome.CostUsd is double c ? $"  ${c:0.####}" : "";
        stdout.WriteLine($"{job.Name}  {label}  {status}  {outcome.Totals.Hits:N0} hits  run {runId}" + (scanId is long sid ? $"  scan {sid}" : "") +
                         (elapsed > TimeSpan.Zero ? $"  {elapsed.TotalSeconds:0.0} s" : "") + cost + (parquet is not null ? $"  {parquet}" : "") +
                         (status == JobRun.Complete ? "" : $"  ({error})"));
        stdout.Flush();
        if (outcome.Code == ScanRun.ExitInterrupted) return Result.Interrupted;
        return status == JobRun.Complete ? Result.Done : Result.Failed;
    }

    /// <summary>Hits are recorded, not printed: a job's output is its database.</summary>
    private static readonly OutputSettings Output = new() { HitsUnprinted = true };

    private static LambdaSettings? Lambda(JobDefinition job, string? region, out string? error)
    {
        error = null;
        if (job.Executor.Lambda is not { } function) return null;
        string? endpoint = job.Executor.Endpoint ?? Environment.GetEnvironmentVariable(LambdaFlags.EndpointVariable);
        Uri? uri = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out uri)) { error = $"not an http(s) URL: {endpoint}"; return null; }
        var e = job.Executor;
        return new LambdaSettings(function, uri, region, e.Concurrency, e.Results, e.MemoryMb, e.MaxCost);
    }

    private static bool IsNotFound(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException || (e.InnerException is { } inner && IsNotFound(inner))
        || e.Message.Contains("404", StringComparison.Ordinal) || e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase);
}
