using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>How the Lambda executor runs a scan's tasks.</summary>
public sealed record LambdaExecutorOptions
{
    /// <summary>The function: a name or an ARN.</summary>
    public required string Function { get; init; }

    /// <summary>Invocations in flight at once.</summary>
    public int Concurrency { get; init; } = 100;

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

    /// <summary>Live counters for a progress display (optional).</summary>
    public ScanProgress? Progress { get; init; }
}

/// <summary>
/// Runs a scan's tasks as synchronous invocations of a Lambda function running <see cref="LambdaWorker"/>, at most
/// <see cref="LambdaExecutorOptions.Concurrency"/> at once, in plan order. Each answer is a task's partial result
/// (inline, or read back from S3), delivered to <see cref="TaskResults"/>: committed once however many copies come
/// back. A worker that failed is tried again; a service that pushes back (429, 5xx) is waited for, as it asks; a call
/// the service refuses outright (no such function, access denied) stops the scan with a <see cref="LambdaException"/>.
/// </summary>
public sealed class LambdaExecutor(LambdaClient client, LambdaExecutorOptions options, SourceResolver sources) : ITaskExecutor
{
    public LambdaCounters Counters { get; } = new();

    /// <summary>The invocations in flight: the target adapts to Lambda's throttling.</summary>
    public InFlightLimit Limit { get; } = new(options.Concurrency);

    public void Run(TaskResults results, CancellationToken ct) => RunAsync(results, ct).GetAwaiter().GetResult();

    public async Task RunAsync(TaskResults results, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var slots = Limit;
        LambdaException? fatal = null;
        var running = new List<Task>();
        for (int index = 0; index < results.Tasks.Count; index++)
        {
            var task = results.Tasks[index];
            try { await slots.EnterAsync(stop.Token); }
            catch (OperationCanceledException) { results.Skip(index, stopped: true); continue; }
            if (results.IsFull(task.Source))
            {
                slots.Exit();
                results.Skip(index, stopped: false);
                continue;
            }
            int i = index;
            running.Add(Task.Run(async () =>
            {
                bool released = false;
                void Release() { if (!released) { released = true; slots.Exit(); } }
                try
                {
                    if (!await RunTaskAsync(task, i, results, stop.Token)) results.Skip(i, stopped: true);
                }
                catch (LambdaException e)
                {
                    Release();
                    lock (running) fatal ??= e;
                    stop.Cancel();
                    results.Skip(i, stopped: true);
                }
                finally { Release(); }
            }));
        }
        await Task.WhenAll(running);
        if (fatal is not null) throw fatal;
    }

    /// <summary>
    /// One task, tried until a worker answers with a partial that is delivered (or the task is recorded failed);
    /// false when the scan was stopped first.
    /// </summary>
    private async Task<bool> RunTaskAsync(ScanTask task, int index, TaskResults results, CancellationToken ct)
    {
        bool Deliver(byte[] partial)
        {
            var outcome = results.Deliver(index, () => new MemoryStream(partial, writable: false));
            if (outcome is null) Counters.CountDuplicate();
            else options.Progress?.Add(outcome.Stats.CompressedBytes, outcome.Stats.Records, outcome.Stats.Hits);
            return true;
        }

        var payload = new LambdaTaskEvent
        {
            Task = task, ScanKey = options.ScanKey, Results = options.Results, Remote = options.Remote,
            LinesOnly = options.LinesOnly, MaxInlineBytes = options.MaxInlineBytes,
        }.ToJsonBytes();
        if (payload.Length > LambdaLimits.MaxPayload)
            return Deliver(Failed(task, DateTime.UtcNow, $"the task is {payload.Length:N0} bytes, over Lambda's {LambdaLimits.MaxPayload:N0}-byte request limit (too many patterns?)"));
        var started = DateTime.UtcNow;
        int workerFailures = 0, serviceFailures = 0;
        string lastError = "";
        while (!ct.IsCancellationRequested)
        {
            LambdaInvokeResult result;
            try
            {
                Counters.CountInvocation();
                result = await client.InvokeAsync(options.Function, payload, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return false; }
            catch (LambdaException e) when (e.StatusCode == 429)
            {
                // Throttled: the scan runs fewer at once, and this one tries again when Lambda says. A throttle is no
                // failure of the task: it is retried as long as the scan runs (the target drops to one at worst).
                Counters.CountThrottled();
                Limit.OnThrottled();
                if (!await Wait(e.RetryAfter ?? Backoff(1), ct)) return false;
                continue;
            }
            catch (LambdaException e) when (e.IsRetryable)
            {
                Counters.CountServiceError();
                lastError = e.Message;
                if (++serviceFailures >= options.MaxInvokeAttempts)
                {
                    // Lambda never answered this scan at all (an endpoint that is not there): the scan stops, in one line.
                    if (Counters.Answered == 0 && e.StatusCode == 0) throw;
                    return Deliver(Failed(task, started, $"{lastError} (after {serviceFailures} tries)"));
                }
                if (!await Wait(e.RetryAfter ?? Backoff(serviceFailures), ct)) return false;
                continue;
            }
            Counters.CountReport(result.Report);
            Counters.CountAnswered();
            Limit.OnSuccess();
            if (result.Succeeded)
            {
                try { return Deliver(await PartialOf(result.Payload, task, ct)); }
                catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
                {
                    lastError = $"the worker's answer could not be read: {e.Message}";
                }
            }
            else
            {
                var error = LambdaErrorBody.TryParse(result.Payload.Span);
                lastError = $"worker {error?.ErrorType ?? result.FunctionError}: {OneLine(error?.ErrorMessage) ?? "no message"}";
                Counters.CountWorkerError();
                // A task the worker refuses as such fails the same way every time.
                if (error?.ErrorType is "CrawlGrep.InvalidTask" or "CrawlGrep.InvalidEvent" or "CrawlGrep.ResultsNotWritten")
                    return Deliver(Failed(task, started, lastError));
            }
            if (++workerFailures >= options.MaxTaskAttempts) return Deliver(Failed(task, started, $"{lastError} (after {workerFailures} tries)"));
            Counters.CountRetry();
            if (!await Wait(Backoff(workerFailures), ct)) return false;
        }
        return false;
    }

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
    private static byte[] Failed(ScanTask task, DateTime started, string error)
    {
        using var wire = new MemoryStream();
        using (var writer = new PartialWriter(wire))
            writer.Finish(task.Source, new TaskOutcome(task.Id, task.Start, task.End, task.Format, new ScanStats { Errors = 1 }, error, started, DateTime.UtcNow));
        return wire.ToArray();
    }

    private TimeSpan Backoff(int failures)
    {
        double ms = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, failures - 1));
        return TimeSpan.FromMilliseconds(ms * (0.5 + Random.Shared.NextDouble() / 2)); // jittered: a fleet's retries spread out
    }

    private static async Task<bool> Wait(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); return true; }
        catch (OperationCanceledException) { return false; }
    }

    private static string? OneLine(string? s) => s is null ? null : string.Join(' ', s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
