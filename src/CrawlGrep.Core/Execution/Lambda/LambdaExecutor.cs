using System.Diagnostics;
using CrawlGrep.Core.Execution.Fleet;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>How the Lambda executor runs a scan's tasks.</summary>
public sealed record LambdaExecutorOptions
{
    /// <summary>The function: a name or an ARN.</summary>
    public required string Function { get; init; }

    /// <summary>Invocations in flight at most (the fleet ramps up to it as Lambda adds environments, and backs off on 429).</summary>
    public int Concurrency { get; init; } = 1000;

    /// <summary>A key of this scan: where its partials go under <see cref="Results"/>.</summary>
    public required string ScanKey { get; init; }

    /// <summary>An <c>s3://bucket/prefix/</c> for partials too large to return inline.</summary>
    public string? Results { get; init; }

    /// <summary>Where the workers read s3:// sources from (an S3-compatible endpoint, a region); null for AWS's defaults.</summary>
    public PlanRemote? Remote { get; init; }

    public bool LinesOnly { get; init; }

    /// <summary>Partials up to this size come back inline.</summary>
    public int MaxInlineBytes { get; init; } = LambdaLimits.DefaultMaxInlinePartial;

    /// <summary>Tries of a task whose worker failed (crashed, timed out, threw) before the task is recorded failed.</summary>
    public int MaxTaskAttempts { get; init; } = 3;

    /// <summary>Tries of one invocation the service failed (5xx, no answer) before the task is recorded failed; throttles (429) are waited out.</summary>
    public int MaxInvokeAttempts { get; init; } = 8;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop invoking before the bill would pass this many dollars (the scan is then incomplete and resumable).</summary>
    public double? MaxCostDollars { get; init; }

    /// <summary>What the function's GB-seconds and requests cost, and the memory it runs with (until a REPORT says).</summary>
    public LambdaRate Rate { get; init; } = LambdaRate.X86_64();
    public int MemoryMb { get; init; } = LambdaCostModel.OneVcpuMb;

    /// <summary>The billed seconds per byte expected before any task has finished (from the plan's estimate).</summary>
    public double PriorSecondsPerByte { get; init; } = 1 / 70e6;

    public SpeculationOptions Speculation { get; init; } = new();

    /// <summary>How fast Lambda adds environments to a function: so many every so many seconds.</summary>
    public int RampStep { get; init; } = 1000;
    public double RampStepSeconds { get; init; } = 10;

    /// <summary>Live counters for a progress display (optional).</summary>
    public ScanProgress? Progress { get; init; }
}

/// <summary>
/// Runs a scan's tasks as synchronous invocations of a Lambda function running <see cref="LambdaWorker"/>. What
/// starts when is the <see cref="FleetScheduler"/>'s decision (concurrency that ramps and backs off on 429, retries,
/// the source's push-back, speculative copies of stragglers, the cost cap); this class makes the calls and hands
/// each answer, a task's partial result (inline, or read back from S3), to <see cref="TaskResults"/>, which commits
/// it once however many copies come back. A call the service refuses outright (no such function, access denied)
/// stops the scan with a <see cref="LambdaException"/>.
/// </summary>
public sealed class LambdaExecutor(LambdaClient client, LambdaExecutorOptions options, SourceResolver sources) : ITaskExecutor
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<int, CancellationTokenSource> _calls = new();
    /// <summary>What stopped the scan (a call the service refused outright, no credentials, a broken result store).</summary>
    private Exception? _fatal;

    public LambdaCounters Counters { get; } = new();

    /// <summary>The scheduler of the last run: its concurrency over time, throttles, copies and bill.</summary>
    public FleetScheduler? Fleet { get; private set; }

    /// <summary>Seconds the last run took.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    public void Run(TaskResults results, CancellationToken ct) => RunAsync(results, ct).GetAwaiter().GetResult();

    public async Task RunAsync(TaskResults results, CancellationToken ct)
    {
        var tasks = results.Tasks;
        var fleet = Fleet = new FleetScheduler(tasks.Select(t => t.Bytes).ToList(), new FleetOptions
        {
            MaxConcurrency = options.Concurrency, RampStep = options.RampStep, RampStepSeconds = options.RampStepSeconds,
            MaxTaskAttempts = options.MaxTaskAttempts, MaxServiceAttempts = options.MaxInvokeAttempts,
            RetryBaseSeconds = options.RetryBaseDelay.TotalSeconds, RetryMaxSeconds = options.RetryMaxDelay.TotalSeconds,
            Speculation = options.Speculation, MaxCostDollars = options.MaxCostDollars, Rate = options.Rate, MemoryMb = options.MemoryMb,
            PriorSecondsPerByte = options.PriorSecondsPerByte, Seed = Environment.TickCount,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new List<Task>();
        _clock.Restart();
        while (true)
        {
            double wait;
            lock (_gate)
            {
                if (stop.IsCancellationRequested) fleet.Stop();
                while (fleet.TryStart(Now()) is { } attempt)
                {
                    var task = tasks[attempt.Task];
                    if (attempt.Kind != AttemptKind.Speculative && results.IsFull(task.Source))
                    {
                        fleet.Skipped(attempt, Now());
                        results.Skip(attempt.Task, stopped: false);
                        continue;
                    }
                    var call = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    _calls[attempt.Id] = call;
                    running.Add(Task.Run(() => RunAttemptAsync(attempt, task, results, stop, call.Token)));
                }
                if (fleet.Finished) break;
                wait = fleet.NextCheck(Now()) - Now();
                running.RemoveAll(t => t.IsCompleted);
            }
            if (stop.IsCancellationRequested)
            {
                // Stopping: no more starts; what runs ends on the token.
                await Task.WhenAll(running);
                continue;
            }
            var timeout = double.IsPositiveInfinity(wait) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Clamp(wait, 0.001, 1));
            try { await _wake.WaitAsync(timeout, stop.Token); }
            catch (OperationCanceledException) { }
        }
        await Task.WhenAll(running);
        _clock.Stop();
        for (int i = 0; i < tasks.Count; i++)
            if (!fleet.IsSettled(i)) results.Skip(i, stopped: true); // not run (stopped, cost cap): no row, a resume runs it
        if (_fatal is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_fatal);
    }

    private double Now() => _clock.Elapsed.TotalSeconds;

    /// <summary>One invocation of a task, and what its answer means for the task and the fleet.</summary>
    private async Task RunAttemptAsync(FleetAttempt attempt, ScanTask task, TaskResults results, CancellationTokenSource stop, CancellationToken ct)
    {
        try
        {
            var payload = new LambdaTaskEvent
            {
                Task = task, ScanKey = options.ScanKey, Results = options.Results, Remote = options.Remote,
                LinesOnly = options.LinesOnly, MaxInlineBytes = options.MaxInlineBytes, SourcePacingMs = attempt.PacingHintMs,
            }.ToJsonBytes();
            if (payload.Length > LambdaLimits.MaxPayload)
            {
                Fail(attempt, task, results, $"the task is {payload.Length:N0} bytes, over Lambda's {LambdaLimits.MaxPayload:N0}-byte request limit (too many patterns?)", permanent: true);
                return;
            }
            LambdaInvokeResult result;
            try
            {
                Counters.CountInvocation();
                if (attempt.Kind == AttemptKind.Speculative) Counters.CountSpeculative();
                result = await client.InvokeAsync(options.Function, payload, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                lock (_gate) Fleet!.Abandoned(attempt, Now());
                return;
            }
            catch (LambdaException e) when (e.StatusCode == 429)
            {
                // Throttled: the fleet runs fewer at once, and this task goes back in line until its Retry-After has passed.
                Counters.CountThrottled();
                lock (_gate) Fleet!.Throttled(attempt, Now(), e.RetryAfter?.TotalSeconds);
                return;
            }
            catch (LambdaException e) when (e.IsRetryable)
            {
                Counters.CountServiceError();
                bool retried;
                lock (_gate) retried = Fleet!.ServiceFailed(attempt, Now(), e.RetryAfter?.TotalSeconds);
                if (retried) return;
                // Lambda never answered this scan at all (an endpoint that is not there): the scan stops, in one line.
                if (Counters.Answered == 0 && e.StatusCode == 0) throw;
                Deliver(attempt, task, results, Failed(task, attempt, $"{e.Message} (after {options.MaxInvokeAttempts} tries)"), default);
                return;
            }
            Counters.CountReport(result.Report);
            Counters.CountAnswered();
            var bill = BillOf(result.Report);
            lock (_gate) Fleet!.Billed(attempt, bill);

            string error;
            if (result.Succeeded)
            {
                try
                {
                    var partial = await PartialOf(result.Payload, task, ct);
                    Deliver(attempt, task, results, partial, bill, succeeded: true);
                    return;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    lock (_gate) Fleet!.Abandoned(attempt, Now());
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Unreadable inline, or its S3 copy could not be read (after the source's own retries): run it again.
                    error = $"the worker's answer could not be read: {e.Message}";
                }
            }
            else
            {
                var body = LambdaErrorBody.TryParse(result.Payload.Span);
                error = $"worker {body?.ErrorType ?? result.FunctionError}: {OneLine(body?.ErrorMessage) ?? "no message"}";
                Counters.CountWorkerError();
                // A task the worker refuses as such fails the same way every time; one the source refused is run again,
                // and the whole fleet slows down for it.
                bool permanent = body?.ErrorType is "CrawlGrep.InvalidTask" or "CrawlGrep.InvalidEvent" or "CrawlGrep.ResultsNotWritten";
                var source = body?.ErrorType == LambdaWorker.SourceSlowDown ? new SourceReport(0, 1, 0) : default;
                Fail(attempt, task, results, error, permanent, bill, source);
                return;
            }
            Fail(attempt, task, results, error, permanent: false, bill);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A call the service refused outright, or anything else (no credentials, a broken result store): the scan
            // stops with it, nothing left hanging.
            lock (_gate)
            {
                _fatal ??= e;
                Fleet!.Abandoned(attempt, Now());
                Fleet.Stop();
            }
            stop.Cancel();
        }
        finally
        {
            lock (_gate)
            {
                if (_calls.Remove(attempt.Id, out var call)) call.Dispose();
            }
            _wake.Release();
        }
    }

    /// <summary>A failed attempt: tried again when the scheduler says so, else the task is recorded failed with <paramref name="error"/>.</summary>
    private void Fail(FleetAttempt attempt, ScanTask task, TaskResults results, string error, bool permanent, AttemptBill bill = default, SourceReport source = default)
    {
        bool retried;
        int tries;
        lock (_gate)
        {
            retried = Fleet!.WorkerFailed(attempt, Now(), permanent, source);
            tries = Fleet.BillOf(attempt.Task).Invocations;
        }
        if (retried) { Counters.CountRetry(); return; }
        Deliver(attempt, task, results, Failed(task, attempt, permanent ? error : $"{error} (after {tries} tries)"), bill, succeeded: false);
    }

    /// <summary>Hands a task's partial to the results (committed once), then tells the scheduler, and cancels the copies that lost.</summary>
    private void Deliver(FleetAttempt attempt, ScanTask task, TaskResults results, byte[] partial, AttemptBill bill, bool succeeded = false)
    {
        TaskBilling billing;
        lock (_gate) billing = Fleet!.BillOf(attempt.Task, bill);
        TaskOutcome? outcome;
        try { outcome = results.Deliver(attempt.Task, () => new MemoryStream(partial, writable: false), billing); }
        catch (InvalidDataException e) when (succeeded)
        {
            // A damaged partial: nothing of it was kept; the task runs again.
            Fail(attempt, task, results, $"the worker's answer could not be read: {e.Message}", permanent: false);
            return;
        }
        if (outcome is null) Counters.CountDuplicate();
        else options.Progress?.Add(outcome.Stats.CompressedBytes, outcome.Stats.Records, outcome.Stats.Hits);
        if (!succeeded) return; // a failure the scheduler has settled already
        var source = outcome is null ? default : new SourceReport(outcome.Stats.SourceRequests, outcome.Stats.SourcePushbacks, outcome.Stats.SourceRetries);
        lock (_gate)
        {
            foreach (var other in Fleet!.Succeeded(attempt, Now(), outcome is not null, source))
            {
                if (_calls.TryGetValue(other.Id, out var call))
                {
                    call.Cancel();
                    Counters.CountCancelled();
                }
            }
        }
    }

    private static AttemptBill BillOf(LambdaReport? report) =>
        report is null ? default : new AttemptBill(report.BilledDurationMs ?? 0, report.MemorySizeMb, report.MaxMemoryUsedMb, report.InitDurationMs);

    /// <summary>The partial a worker answered with, in its wire form: inline, or read from where the worker wrote it in S3.</summary>
    private async Task<byte[]> PartialOf(ReadOnlyMemory<byte> payload, ScanTask task, CancellationToken ct)
    {
        var response = LambdaTaskResponse.FromJson(payload.Span);
        if (response.TaskId != task.Id) throw new InvalidDataException($"an answer for task {response.TaskId}, not {task.Id}");
        if (response.Partial is not null) return Convert.FromBase64String(response.Partial);
        var bytes = await Task.Run(() =>
        {
            var source = sources.Open(response.PartialKey!);
            using var stream = source.OpenRange(0, source.Length, source.Length);
            var copy = new MemoryStream((int)Math.Min(source.Length, int.MaxValue));
            stream.CopyTo(copy);
            return copy.ToArray();
        }, ct);
        Counters.CountPartialFromS3();
        return bytes;
    }

    /// <summary>The partial of a task that could not be run: no hits, its error.</summary>
    private static byte[] Failed(ScanTask task, FleetAttempt attempt, string error)
    {
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
        {
            var now = DateTime.UtcNow;
            writer.Finish(task.Source, new TaskOutcome(task.Id, task.Start, task.End, task.Format, new ScanStats { Errors = 1 }, error, now, now));
        }
        return wire.ToArray();
    }

    /// <summary>Event invocations sent at once when a scan is detached: each is answered at once (202), so a few suffice.</summary>
    private const int DispatchParallelism = 32;

    /// <summary>
    /// Sends every task as an asynchronous invocation (Event): Lambda's own queue then holds them, runs them as the
    /// function's concurrency allows and retries a failed one twice; each worker writes its partial to the results
    /// prefix, where <c>crawlgrep collect</c> finds it. Returns the tasks Lambda did not take (after retries), with why.
    /// </summary>
    public async Task<IReadOnlyList<(ScanTask Task, string Error)>> DispatchAsync(IReadOnlyList<ScanTask> tasks, CancellationToken ct)
    {
        if (options.Results is null) throw new InvalidOperationException("a detached scan needs --results s3://BUCKET/PREFIX/: its workers write every partial there");
        var refused = new List<(ScanTask, string)>();
        LambdaException? fatal = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = DispatchParallelism, CancellationToken = stop.Token }, async (task, token) =>
        {
            var payload = new LambdaTaskEvent
            {
                Task = task, ScanKey = options.ScanKey, Results = options.Results, Remote = options.Remote,
                LinesOnly = options.LinesOnly, MaxInlineBytes = 0,
            }.ToJsonBytes();
            if (payload.Length > LambdaLimits.MaxEventPayload)
            {
                lock (refused) refused.Add((task, $"the task is {payload.Length:N0} bytes, over Lambda's {LambdaLimits.MaxEventPayload:N0}-byte limit for Event invocations"));
                return;
            }
            for (int tries = 1; ; tries++)
            {
                try
                {
                    Counters.CountInvocation();
                    await client.InvokeEventAsync(options.Function, payload, token);
                    Counters.CountAnswered();
                    options.Progress?.Add(task.Bytes, 0, 0);
                    return;
                }
                catch (LambdaException e) when (e.StatusCode == 429 || e.IsRetryable)
                {
                    if (e.StatusCode == 429) Counters.CountThrottled(); else Counters.CountServiceError();
                    if (e.StatusCode != 429 && tries >= options.MaxInvokeAttempts)
                    {
                        if (Counters.Answered == 0 && e.StatusCode == 0) { fatal ??= e; stop.Cancel(); return; }
                        lock (refused) refused.Add((task, $"{e.Message} (after {tries} tries)"));
                        return;
                    }
                    var wait = e.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(options.RetryMaxDelay.TotalSeconds, options.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Min(tries, 16) - 1)) * (0.5 + Random.Shared.NextDouble() / 2));
                    await Task.Delay(wait, token);
                }
                catch (LambdaException e)
                {
                    fatal ??= e;
                    stop.Cancel();
                    return;
                }
            }
        }).ContinueWith(t => { if (t.IsFaulted) t.Exception!.Handle(x => x is OperationCanceledException); }, TaskScheduler.Default);
        if (fatal is not null) throw fatal;
        ct.ThrowIfCancellationRequested();
        return refused;
    }

    private static string? OneLine(string? s) => s is null ? null : string.Join(' ', s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
