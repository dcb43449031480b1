using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Amazon.S3.Model;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// The worker side of the Lambda executor: serves the Lambda Runtime API loop
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): takes the next invocation, runs its task
/// through a <see cref="TaskRunner"/>, and posts the partial result (inline, or written to S3 and named) or an error.
/// A warm worker keeps its compiled patterns and its connections from one invocation to the next.
/// </summary>
public sealed class LambdaWorker : IDisposable
{
    /// <summary>What a task leaves of the function's time for sending its answer.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(2);

    /// <summary>The error type of a task whose reads the source pushed back until they gave up.</summary>
    public const string SourceSlowDown = "CrawlGrep.SourceSlowDown";

    private readonly HttpClient _runtime;
    private readonly string _base;
    private readonly TextWriter _log;
    private ScanSpec? _spec;
    private bool _specLinesOnly;
    private TaskRunner? _runner;
    private PlanRemote? _remote;
    private SourceResolver? _sources;

    /// <param name="runtimeApi">The host:port of AWS_LAMBDA_RUNTIME_API.</param>
    /// <param name="log">The function's log (stderr: Lambda sends it to CloudWatch).</param>
    public LambdaWorker(string runtimeApi, TextWriter log)
    {
        _base = $"http://{runtimeApi}/2018-06-01/runtime";
        _log = log;
        // The next invocation may be hours away: no timeout on the wait for it.
        _runtime = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Serves invocations until the Runtime API goes away (then returns 1) or <paramref name="ct"/> stops it (0). A
    /// failure before the first invocation is reported as the function's init error (Lambda then starts afresh).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        try { return await ServeAsync(ct); }
        catch (Exception e) when (!_served && e is not OperationCanceledException)
        {
            _log.WriteLine($"crawlgrep worker: could not start: {e.Message}");
            await ReportInitErrorAsync("Runtime.InitError", $"crawlgrep worker could not start: {e.Message}");
            return 1;
        }
    }

    private bool _served;

    private async Task<int> ServeAsync(CancellationToken ct)
    {
        // The engine's parts are loaded before the first invocation: a worker that cannot work fails its init, not a task.
        TaskRunner.Compile(new ScanSpec { Patterns = new TaskPatterns { Items = ["crawlgrep"] } }, linesOnly: false, progress: null, out _);
        while (!ct.IsCancellationRequested)
        {
            HttpResponseMessage next;
            try { next = await _runtime.GetAsync($"{_base}/invocation/next", HttpCompletionOption.ResponseContentRead, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return 0; }
            catch (HttpRequestException e)
            {
                _log.WriteLine($"crawlgrep worker: the Lambda Runtime API cannot be reached: {e.Message}");
                return 1;
            }
            using (next)
            {
                if (!next.IsSuccessStatusCode)
                {
                    _log.WriteLine($"crawlgrep worker: the Lambda Runtime API answered {(int)next.StatusCode} to /next");
                    return 1;
                }
                string requestId = Header(next, "Lambda-Runtime-Aws-Request-Id") ?? "";
                var deadline = long.TryParse(Header(next, "Lambda-Runtime-Deadline-Ms"), out long ms)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow.AddMinutes(15);
                byte[] body = await next.Content.ReadAsByteArrayAsync(ct);
                _served = true;
                await HandleAsync(requestId, body, deadline, ct);
            }
        }
        return 0;
    }

    /// <summary>Tells the Runtime API the worker could not start (before its first invocation).</summary>
    public async Task ReportInitErrorAsync(string type, string message)
    {
        using var content = Json(new LambdaErrorBody(message, type).ToJsonBytes());
        content.Headers.Add("Lambda-Runtime-Function-Error-Type", type);
        try { using var _ = await _runtime.PostAsync($"{_base}/init/error", content); }
        catch (HttpRequestException e) { _log.WriteLine($"crawlgrep worker: could not report the init error: {e.Message}"); }
    }

    private async Task HandleAsync(string requestId, byte[] body, DateTimeOffset deadline, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        LambdaTaskEvent e;
        try { e = LambdaTaskEvent.FromJson(body); }
        catch (InvalidDataException x)
        {
            await PostErrorAsync(requestId, "CrawlGrep.InvalidEvent", x.Message);
            return;
        }
        var task = e.Task;
        try
        {
            var (runner, sources) = RunnerFor(task.Spec, e.LinesOnly, e.Remote);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var left = deadline - DateTimeOffset.UtcNow - DeadlineMargin;
            stop.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);

            using var partial = new MemoryStream();
            TaskOutcome outcome;
            if (e.SourcePacingMs > 0) sources.Pacer.AtLeast(TimeSpan.FromMilliseconds(e.SourcePacingMs));
            long requests = sources.Counters.Requests, retries = sources.Counters.Retries, pushBacks = sources.Pacer.PushBacks;
            using (var writer = new PartialWriter(partial))
            {
                outcome = runner.Run(task, writer, stop.Token);
                // What the source did to this task, for the coordinator's fleet-wide backoff.
                outcome.Stats.SourceRequests = sources.Counters.Requests - requests;
                outcome.Stats.SourceRetries = sources.Counters.Retries - retries;
                outcome.Stats.SourcePushbacks = sources.Pacer.PushBacks - pushBacks;
                if (outcome.Stopped && !ct.IsCancellationRequested)
                {
                    await PostErrorAsync(requestId, "CrawlGrep.TaskTimedOut",
                        $"task {task.Id} ({task.Source} [{task.Start}, {task.End})) did not finish within the function's timeout: " +
                        "give the function a longer timeout or cut the inputs into smaller ranges (--split)");
                    return;
                }
                if (outcome.Error is not null && outcome.Stats.SourcePushbacks > 0)
                {
                    // The source pushed back until the reads gave up: not the task's fault. The coordinator slows the fleet
                    // and runs it again (an Event invocation is retried by Lambda), instead of recording it failed now.
                    await PostErrorAsync(requestId, SourceSlowDown,
                        $"task {task.Id} ({task.Source}): the source pushed back {outcome.Stats.SourcePushbacks:N0} times: {outcome.Error}");
                    return;
                }
                writer.Finish(task.Source, outcome);
            }
            var response = await ResponseFor(e, partial, sources, ct);
            using (var content = Json(response.ToJsonBytes()))
            using (var posted = await _runtime.PostAsync($"{_base}/invocation/{requestId}/response", content, ct))
            {
                if (!posted.IsSuccessStatusCode) _log.WriteLine($"crawlgrep worker: the Runtime API refused the response of task {task.Id}: {(int)posted.StatusCode}");
            }
            _log.WriteLine($"crawlgrep worker: task {task.Id} {task.Source} [{task.Start}, {task.End}): {outcome.Stats.Records:N0} records, " +
                           $"{outcome.Stats.Hits:N0} hits, {(outcome.Error is null ? "done" : "failed: " + outcome.Error)}, " +
                           $"partial {response.PartialBytes:N0} bytes {(response.PartialKey is null ? "inline" : "in S3")}, {clock.ElapsedMilliseconds} ms");
        }
        catch (TaskCompileException x) { await PostErrorAsync(requestId, "CrawlGrep.InvalidTask", x.Message); }
        catch (ResultsUploadException x) { await PostErrorAsync(requestId, "CrawlGrep.ResultsNotWritten", x.Message); }
        catch (Exception x) when (x is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            await PostErrorAsync(requestId, x.GetType().Name, x.Message, x.StackTrace?.Split('\n').Select(l => l.Trim()).ToList());
        }
    }

    /// <summary>
    /// The answer for a finished task. With a results prefix the partial is written there first, whatever its size:
    /// what a worker finished survives a client that went away (collect and resume read it). Then it comes back
    /// inline when small enough (no GET needed), else as its key.
    /// </summary>
    private static async Task<LambdaTaskResponse> ResponseFor(LambdaTaskEvent e, MemoryStream partial, SourceResolver sources, CancellationToken ct)
    {
        long size = partial.Length;
        LambdaTaskResponse Inline() => new() { TaskId = e.Task.Id, Partial = Convert.ToBase64String(partial.GetBuffer(), 0, (int)size), PartialBytes = size };
        if (e.Results is null && size <= e.MaxInlineBytes) return Inline();
        if (e.Results is null)
            throw new ResultsUploadException($"the partial result of task {e.Task.Id} is {size:N0} bytes, over the {e.MaxInlineBytes:N0} a response may carry, " +
                                             "and no results prefix was given (--results s3://BUCKET/PREFIX/)");
        string url = new PlanPartials(e.Results, e.ScanKey).KeyOf(e.Task.Id);
        var (bucket, key) = S3Provider.ParseS3(url);
        try
        {
            await Task.Run(() => RetryingRequest.Run(sources.Options, sources.Pacer, sources.Counters, c =>
            {
                partial.Position = 0;
                // One plain signed PUT (no aws-chunked encoding): S3-compatible stores differ in how they take chunked uploads.
                var request = new PutObjectRequest
                {
                    BucketName = bucket, Key = key, InputStream = partial, AutoCloseStream = false, ContentType = "application/zstd", UseChunkEncoding = false,
                };
                return S3ObjectClient.Call(() => sources.S3.PutObjectAsync(request, c));
            }), ct);
        }
        catch (Exception x) when (x is RemoteException or IOException) { throw new ResultsUploadException($"writing the partial result of task {e.Task.Id} to {url}: {x.Message}"); }
        if (size <= e.MaxInlineBytes) return Inline();
        return new LambdaTaskResponse { TaskId = e.Task.Id, PartialKey = url, PartialBytes = size };
    }

    /// <summary>
    /// The runner for a task and the sources it reads: kept from one invocation to the next while the scan is the
    /// same (its compiled patterns, its scanner's buffers, its connections), made afresh when it is not.
    /// </summary>
    private (TaskRunner Runner, SourceResolver Sources) RunnerFor(ScanSpec spec, bool linesOnly, PlanRemote? remote)
    {
        if (_runner is not null && _sources is not null && _remote == remote && _spec == spec && _specLinesOnly == linesOnly)
            return (_runner, _sources);
        var options = TaskRunner.Compile(spec, linesOnly, progress: null, out string? error) ?? throw new TaskCompileException(error!);
        var sources = SourcesFor(remote);
        _runner?.Dispose();
        _runner = new TaskRunner(options, sources.Open);
        (_spec, _specLinesOnly) = (spec, linesOnly);
        return (_runner, sources);
    }

    private SourceResolver SourcesFor(PlanRemote? remote)
    {
        if (_sources is not null && _remote == remote) return _sources;
        _sources?.Dispose();
        var options = RemoteOptions.FromEnvironment();
        if (remote is not null) options = options with { S3Endpoint = remote.S3Endpoint, Region = remote.Region };
        _remote = remote;
        return _sources = new SourceResolver(options); // the SDK's chain: on Lambda, the function's own role
    }

    private async Task PostErrorAsync(string requestId, string type, string message, IReadOnlyList<string>? stack = null)
    {
        _log.WriteLine($"crawlgrep worker: {type}: {message}");
        using var content = Json(new LambdaErrorBody(message, type, stack).ToJsonBytes());
        content.Headers.Add("Lambda-Runtime-Function-Error-Type", type);
        try { using var _ = await _runtime.PostAsync($"{_base}/invocation/{requestId}/error", content); }
        catch (HttpRequestException e) { _log.WriteLine($"crawlgrep worker: could not report the error: {e.Message}"); }
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;

    public void Dispose()
    {
        _runtime.Dispose();
        _runner?.Dispose();
        _sources?.Dispose();
    }

    private sealed class TaskCompileException(string message) : Exception(message);

    private sealed class ResultsUploadException(string message) : Exception(message);
}
