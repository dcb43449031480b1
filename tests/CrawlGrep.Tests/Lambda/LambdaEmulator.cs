using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CrawlGrep.Tests.Remote;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A local stand-in for AWS Lambda, as strict as the service where a client or worker could go wrong: the Invoke
/// API on 127.0.0.1 (SigV4 checked on every request, AWS-shaped errors, 6 MB limits, reserved concurrency with 429)
/// in front of real worker processes, each with its own Runtime API, started lazily (cold starts), reused when idle,
/// killed at the timeout and replaced after a crash. Event invocations are queued, run as concurrency allows and
/// retried as Lambda retries them, with an on-failure destination; GetFunction and GetAccountSettings describe the
/// function and the account. Tests inject faults with <see cref="Inject"/>, change the concurrency with
/// <see cref="SetConcurrency"/>, and read counters and <see cref="Invocations"/>. Dispose stops both APIs and kills
/// every worker's process tree.
/// </summary>
public sealed class LambdaEmulator : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ServiceApi _api;
    private readonly EventQueue _events;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly object _gate = new();
    private readonly Stack<EmulatedWorker> _idle = new();
    private readonly HashSet<EmulatedWorker> _workers = [];
    private readonly List<int> _workerPids = [];
    private readonly List<(LambdaFault Fault, int Left)> _faults = [];
    private readonly List<InvocationRecord> _records = [];
    private int _concurrency;
    private int _inFlight;
    private int _maxConcurrent;
    private int _started;
    private int _completed;
    private int _coldStarts;
    private int _throttled;
    private bool _disposed;

    public LambdaEmulator(EmulatorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AccountConcurrency, 1, nameof(options.AccountConcurrency));
        CheckConcurrency(options, options.Concurrency);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));
        if (options.EventRetryDelays.Count > 2 || options.EventRetryDelays.Any(d => d < TimeSpan.Zero))
            throw new ArgumentException("Lambda retries an event at most twice, each after a delay of zero or more", nameof(options));
        // The role's session (its token) is the function's own, even where a test store knows one key pair only.
        if (options.Callers.Any(c => c == options.FunctionKeys))
            throw new ArgumentException("the function's role must not be one of the callers' keys", nameof(options));
        Options = options;
        _concurrency = options.Concurrency;
        _events = new EventQueue(this);
        _api = new ServiceApi(this, new SigV4Verifier(options.Region, "lambda", options.Callers, options.AllowedClockSkew));
        _listener = new LoopbackListener(ServeConnectionAsync);
    }

    public EmulatorOptions Options { get; }

    public int Port => _listener.Port;

    /// <summary>"http://127.0.0.1:PORT": the service URL a Lambda client is pointed at.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public string FunctionArn => Options.FunctionArn;

    /// <summary>When the emulator started: the function's LastModified.</summary>
    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>Invocations admitted (past signature, routing and the concurrency limit).</summary>
    public int InvocationsStarted => Volatile.Read(ref _started);

    /// <summary>Admitted invocations that have ended, in any way.</summary>
    public int InvocationsCompleted => Volatile.Read(ref _completed);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most invocations that were ever in flight at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    /// <summary>Worker processes started (each one's first invocation was a cold start).</summary>
    public int ColdStarts => Volatile.Read(ref _coldStarts);

    /// <summary>Invoke requests answered 429 TooManyRequestsException.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>The concurrency limit now: <see cref="EmulatorOptions.Concurrency"/> until <see cref="SetConcurrency"/> changes it.</summary>
    public int Concurrency => Volatile.Read(ref _concurrency);

    /// <summary>Event invocations accepted (answered 202).</summary>
    public int EventsAccepted => _events.Accepted;

    /// <summary>Events waiting now: for room in the concurrency, or for the delay before a retry.</summary>
    public int EventsQueued => _events.Queued;

    /// <summary>Event attempts started, retries included.</summary>
    public int EventAttempts => _events.Attempts;

    /// <summary>Events whose last attempt succeeded.</summary>
    public int EventsSucceeded => _events.Succeeded;

    /// <summary>
    /// The on-failure destination: one invocation record (Lambda's JSON shape, condition RetriesExhausted) per event
    /// whose every attempt failed, in the order they gave up.
    /// </summary>
    public IReadOnlyList<System.Text.Json.JsonElement> FailureDestination => _events.FailureDestination;

    /// <summary>Completes when no event is queued, waiting to retry or running; a TimeoutException says what is left.</summary>
    public Task DrainEventsAsync(TimeSpan timeout) => _events.DrainAsync(timeout);

    /// <summary>Every worker process ever started, in order.</summary>
    public IReadOnlyList<int> WorkerPids
    {
        get { lock (_gate) return _workerPids.ToArray(); }
    }

    /// <summary>Finished invocations, in the order they finished.</summary>
    public IReadOnlyList<InvocationRecord> Invocations
    {
        get { lock (_gate) return _records.ToArray(); }
    }

    /// <summary>
    /// Changes the concurrency limit, as PutFunctionConcurrency does: lowered, new invocations are throttled (and
    /// events wait) until fewer than the new limit are in flight, while those in flight run to their end; raised,
    /// queued events start at once. Reserved concurrency must leave the account 100 unreserved.
    /// </summary>
    public void SetConcurrency(int concurrency)
    {
        CheckConcurrency(Options, concurrency);
        Volatile.Write(ref _concurrency, concurrency);
        _events.Pump();
    }

    /// <summary>Adds a fault for the invocations admitted from now on.</summary>
    public void Inject(LambdaFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Times, 1, nameof(fault.Times));
        lock (_gate) _faults.Add((fault, fault.Times));
    }

    public void Dispose()
    {
        EmulatedWorker[] workers;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            workers = [.. _workers];
            _workers.Clear();
            _idle.Clear();
        }
        _events.Dispose();
        _listener.Dispose();
        foreach (var worker in workers) worker.Kill();
        foreach (var worker in workers) worker.Dispose();
    }

    /// <summary>
    /// Admits a synchronous invocation and runs it on an idle worker or a new one; null when the concurrency limit is
    /// reached (the caller answers 429).
    /// </summary>
    internal async Task<InvokeResult?> InvokeAsync(byte[] payload, string invokedArn)
    {
        if (TryAdmit(payload, invokedArn, eventAttempt: null) is not { } invocation)
        {
            Interlocked.Increment(ref _throttled);
            return null;
        }
        return await RunAdmittedAsync(invocation);
    }

    /// <summary>Accepts an asynchronous invocation into the queue, whatever the concurrency; returns its request id.</summary>
    internal string Enqueue(byte[] payload, string invokedArn) => _events.Accept(payload, invokedArn);

    /// <summary>Takes one of the concurrency's slots for an invocation, or null when none is free.</summary>
    internal Invocation? TryAdmit(byte[] payload, string invokedArn, (int Number, string RequestId)? eventAttempt)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inFlight >= _concurrency) return null;
            _inFlight++;
            _maxConcurrent = Math.Max(_maxConcurrent, _inFlight);
            int number = ++_started;
            return new Invocation(number, payload, invokedArn, TakeFaults(number, payload), eventAttempt);
        }
    }

    /// <summary>Runs an admitted invocation, then frees its slot and gives it to a queued event, if any.</summary>
    internal async Task<InvokeResult> RunAdmittedAsync(Invocation invocation)
    {
        try
        {
            return await RunAsync(invocation);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
                _completed++;
            }
            _events.Pump();
        }
    }

    private static void CheckConcurrency(EmulatorOptions options, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(concurrency, nameof(concurrency));
        int most = options.ConcurrencyReserved ? options.AccountConcurrency - EmulatorOptions.MinimumUnreservedConcurrency : options.AccountConcurrency;
        if (concurrency > most)
            throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, options.ConcurrencyReserved
                ? $"reserved concurrency must leave the account's unreserved concurrency at {EmulatorOptions.MinimumUnreservedConcurrency} or more (account limit {options.AccountConcurrency})"
                : $"a function cannot run more than the account's {options.AccountConcurrency} at once");
    }

    private async Task<InvokeResult> RunAsync(Invocation invocation)
    {
        EmulatedWorker? worker = null;
        lock (_gate)
        {
            while (_idle.TryPop(out var idle))
            {
                if (idle.IsUsable) { worker = idle; break; }
                Retire(idle);
            }
        }
        if (worker is null)
        {
            try
            {
                worker = new EmulatedWorker(Options);
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException)
            {
                // As Lambda answers when bootstrap is missing or not executable.
                var failed = InvocationOutcome.Error("Runtime.InvalidEntrypoint", LambdaErrors.FunctionError("Runtime.InvalidEntrypoint",
                    $"RequestId: {invocation.RequestId} Error: fork/exec {Options.Command.FileName}: {e.Message}"), "error");
                return Finish(invocation, failed, workerPid: 0);
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    worker.Dispose();
                    throw new ObjectDisposedException(nameof(LambdaEmulator));
                }
                _workers.Add(worker);
                _workerPids.Add(worker.Pid);
                _coldStarts++;
            }
        }

        var outcome = await worker.RunAsync(invocation);
        var result = Finish(invocation, outcome, worker.Pid, worker.MaxMemoryMb);
        lock (_gate)
        {
            if (!_disposed && worker.IsUsable) _idle.Push(worker);
            else Retire(worker);
        }
        return result;
    }

    /// <summary>Ends a worker that may not serve again; its process tree is killed off the caller's path.</summary>
    private void Retire(EmulatedWorker worker)
    {
        _workers.Remove(worker);
        _ = Task.Run(worker.Dispose);
    }

    private List<LambdaFault> TakeFaults(int number, byte[] payload)
    {
        var taken = new List<LambdaFault>();
        string? text = null;
        for (int i = 0; i < _faults.Count; i++)
        {
            var (fault, left) = _faults[i];
            if (left <= 0 || !fault.Matches(number, text ??= LambdaFault.EventText(payload))) continue;
            _faults[i] = (fault, left - 1);
            taken.Add(fault);
        }
        return taken;
    }

    private InvokeResult Finish(Invocation invocation, InvocationOutcome outcome, int workerPid, int maxMemoryMb = 0)
    {
        long delivered = invocation.DeliveredTimestamp, finished = invocation.FinishedTimestamp != 0 ? invocation.FinishedTimestamp : Stopwatch.GetTimestamp();
        double durationMs = delivered == 0 ? 0 : Stopwatch.GetElapsedTime(delivered, finished).TotalMilliseconds;
        var report = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"REPORT RequestId: {invocation.RequestId}\t")
            .Append(CultureInfo.InvariantCulture, $"Duration: {durationMs:0.00} ms\t")
            // Lambda bills the init phase of custom runtimes together with the first invocation.
            .Append(CultureInfo.InvariantCulture, $"Billed Duration: {Math.Ceiling(durationMs + (invocation.InitDurationMs ?? 0)):0} ms\t")
            .Append(CultureInfo.InvariantCulture, $"Memory Size: {Options.MemorySizeMb} MB\t")
            .Append(CultureInfo.InvariantCulture, $"Max Memory Used: {maxMemoryMb} MB\t");
        if (invocation.InitDurationMs is double init) report.Append(CultureInfo.InvariantCulture, $"Init Duration: {init:0.00} ms\t");
        if (outcome.ReportStatus is { } status)
        {
            report.Append(CultureInfo.InvariantCulture, $"Status: {status}\t");
            if (status == "error") report.Append(CultureInfo.InvariantCulture, $"Error Type: {outcome.ErrorType}\t");
        }
        invocation.Log($"END RequestId: {invocation.RequestId}");
        invocation.Log(report.ToString());
        string log = invocation.LogText();

        var record = new InvocationRecord(invocation.Number, invocation.RequestId, workerPid, invocation.InitDurationMs is not null,
            delivered == 0 ? null : Stopwatch.GetElapsedTime(_startTimestamp, delivered),
            Stopwatch.GetElapsedTime(_startTimestamp, finished), outcome.ErrorType, log, invocation.IsEvent, invocation.Attempt);
        lock (_gate) _records.Add(record);
        // An event's answer goes to no caller, so there is none to lose.
        bool drop = !invocation.IsEvent && invocation.Faults.Any(f => f.Kind == LambdaFaultKind.DropResponse);
        return new InvokeResult(invocation, outcome, log, drop);
    }

    private async Task ServeConnectionAsync(Socket socket, CancellationToken ct)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpReader(stream);
        while (await reader.ReadHeadAsync(ct) is { } request)
        {
            var (body, length) = await HttpBody.ReadAsync(reader, request, EmulatorOptions.MaxPayloadBytes, ct);
            bool keepAlive = request.KeepAlive(request.RequestVersion);
            var (reply, drop) = await _api.AnswerAsync(request, body, length);
            if (drop)
            {
                // A response lost in transit: the caller's connection is reset (RST), not closed in order.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                return;
            }
            await reply.WriteAsync(stream, keepAlive, ct);
            if (!keepAlive) break;
        }
    }
}
