using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// One execution environment: a real worker process and the Runtime API listener it alone talks to. It runs one
/// invocation at a time; the outcome is decided by the worker (response, /error, /init/error) or against it (its
/// process ending, the timeout, an injected fault). A worker that was killed or failed to start is Broken and is
/// never given another invocation.
/// </summary>
internal sealed class EmulatedWorker : IDisposable
{
    private readonly EmulatorOptions _options;
    private readonly RuntimeApi _api;
    private readonly Process _process;
    private readonly Channel<Invocation> _assignments = Channel.CreateBounded<Invocation>(1);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startTimestamp;
    private readonly object _gate = new();
    private Invocation? _current;
    private long _lastOutputTimestamp;
    private int _maxMemoryMb;
    private bool _broken;
    private bool _askedForWork;
    private bool _disposed;

    public EmulatedWorker(EmulatorOptions options)
    {
        _options = options;
        _api = new RuntimeApi(this);
        string taskRoot = options.TaskRoot ?? Path.GetDirectoryName(Path.GetFullPath(options.Command.FileName)) ?? Environment.CurrentDirectory;
        if (!Directory.Exists(taskRoot)) taskRoot = Environment.CurrentDirectory;
        var psi = new ProcessStartInfo(options.Command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = taskRoot,
        };
        foreach (string a in options.Command.Arguments) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (name, value) in WorkerEnvironment.For(options, $"127.0.0.1:{_api.Port}", taskRoot)) psi.Environment[name] = value;

        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) OnOutput(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) OnOutput(e.Data); };
        _process.Exited += (_, _) => OnExited();
        _startTimestamp = Stopwatch.GetTimestamp();
        try
        {
            _process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            _api.Dispose();
            _process.Dispose();
            throw;
        }
        Pid = _process.Id;
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid { get; }

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Whether this worker may take another invocation.</summary>
    public bool IsUsable
    {
        get { lock (_gate) return !_broken && !_disposed && !HasExited; }
    }

    /// <summary>The worker's peak resident memory (VmHWM) in MB, as last read while the process was alive.</summary>
    public int MaxMemoryMb
    {
        get
        {
            try
            {
                foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    long kb = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    _maxMemoryMb = Math.Max(_maxMemoryMb, (int)((kb + 1023) / 1024));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
            return _maxMemoryMb;
        }
    }

    /// <summary>
    /// Runs one invocation on this worker and returns how it ended. Waits for the worker to take it (bounded by
    /// the init timeout on a cold start), then for its end (bounded by the function timeout).
    /// </summary>
    public async Task<InvocationOutcome> RunAsync(Invocation invocation)
    {
        lock (_gate)
        {
            if (_current is not null) throw new InvalidOperationException($"worker {Pid} is already running invocation {_current.Number}");
            _current = invocation;
        }
        if (!_assignments.Writer.TryWrite(invocation)) throw new InvalidOperationException($"worker {Pid} has an invocation waiting");
        if (HasExited) invocation.Outcome.TrySetResult(ExitOutcome(invocation));

        var outcome = invocation.Outcome.Task;
        var initWait = Task.Delay(_options.InitTimeout);
        var armed = new List<Task>();
        if (await Task.WhenAny(invocation.Delivered.Task, outcome, initWait) == initWait && !invocation.Delivered.Task.IsCompleted)
        {
            Expire(invocation, _options.InitTimeout);
        }
        else if (!outcome.IsCompleted)
        {
            foreach (var fault in invocation.Faults) armed.Add(ArmFault(invocation, fault));
            var left = invocation.Deadline - DateTimeOffset.UtcNow;
            var timeout = Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            if (await Task.WhenAny(outcome, timeout) == timeout) Expire(invocation, _options.Timeout);
        }
        var result = await outcome;
        // A slowed worker is running freely again before it can be given its next invocation.
        await Task.WhenAll(armed);
        invocation.FinishedTimestamp = Stopwatch.GetTimestamp();
        _ = MaxMemoryMb; // read before anything kills the process
        await SettleOutputAsync(Stopwatch.GetTimestamp());
        lock (_gate) _current = null;
        return result;
    }

    /// <summary>Kills the whole process tree (SIGKILL); its invocation, if any, ends with Runtime.ExitError.</summary>
    public void Kill()
    {
        lock (_gate) _broken = true;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception) { }
    }

    /// <summary>Freezes the process (SIGSTOP): it keeps its connections open and answers nothing.</summary>
    public void Stop()
    {
        try { ProcessSignals.Send(Pid, ProcessSignals.SigStop); }
        catch (Win32Exception) { } // already gone
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        Kill();
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _api.Dispose();
        _process.Dispose();
    }

    // ---- called by the Runtime API ----

    /// <summary>/next: waits for this worker's next invocation and marks it delivered (its deadline starts now).</summary>
    internal async Task<Invocation?> NextAsync(CancellationToken ct)
    {
        bool first;
        lock (_gate)
        {
            if (_current is { Finished: false } busy && busy.DeliveredTimestamp != 0) return null; // a second /next while one runs
            first = !_askedForWork;
            _askedForWork = true;
        }
        var invocation = await _assignments.Reader.ReadAsync(ct);
        long now = Stopwatch.GetTimestamp();
        if (first) invocation.InitDurationMs = Stopwatch.GetElapsedTime(_startTimestamp, now).TotalMilliseconds;
        invocation.DeliveredTimestamp = now;
        invocation.Deadline = DateTimeOffset.UtcNow + _options.Timeout;
        invocation.Log($"START RequestId: {invocation.RequestId} Version: $LATEST");
        // A kill or stop due at once lands before the worker is handed its event: armed after delivery, a quick task on a
        // busy machine could answer before it, and the fault a test counts on would never happen.
        foreach (var fault in invocation.Faults)
        {
            if (!IsImmediate(fault)) continue;
            if (fault.Kind == LambdaFaultKind.KillWorker) Kill();
            else Stop();
        }
        invocation.Delivered.TrySetResult();
        return invocation;
    }

    /// <summary>The invocation a /response or /error may name: the delivered, unfinished one with that id.</summary>
    internal Invocation? Running(string requestId)
    {
        lock (_gate)
            return _current is { Finished: false } c && c.DeliveredTimestamp != 0 && c.RequestId == requestId ? c : null;
    }

    /// <summary>/init/error: allowed only before the first /next; fails the waiting invocation and retires the worker.</summary>
    internal bool InitFailed(string errorType, byte[] body)
    {
        Invocation? waiting;
        lock (_gate)
        {
            if (_askedForWork) return false;
            _broken = true;
            waiting = _current;
        }
        waiting?.Outcome.TrySetResult(InvocationOutcome.Error(errorType, body, "error"));
        return true;
    }

    /// <summary>A kill or stop with no delay: applied as the event is handed over (<see cref="NextAsync"/>), not armed.</summary>
    private static bool IsImmediate(LambdaFault fault) =>
        fault.Kind is LambdaFaultKind.KillWorker or LambdaFaultKind.StopWorker && fault.After <= TimeSpan.Zero;

    /// <summary>Starts what a fault does to the running invocation; the task ends by the time its outcome is decided.</summary>
    private Task ArmFault(Invocation invocation, LambdaFault fault)
    {
        if (fault.Kind == LambdaFaultKind.SlowWorker)
            return Task.Run(() => DutyCycle.RunAsync(Pid, fault.Factor, invocation.Outcome.Task));
        if (fault.Kind is not (LambdaFaultKind.KillWorker or LambdaFaultKind.StopWorker) || IsImmediate(fault)) return Task.CompletedTask;
        return Task.Run(async () =>
        {
            if (fault.After > TimeSpan.Zero) await Task.WhenAny(Task.Delay(fault.After), invocation.Outcome.Task);
            if (invocation.Finished) return;
            if (fault.Kind == LambdaFaultKind.KillWorker) Kill();
            else Stop();
        });
    }

    /// <summary>Timeout: the outcome is decided first so that the exit the kill causes does not replace it.</summary>
    private void Expire(Invocation invocation, TimeSpan limit)
    {
        _ = MaxMemoryMb;
        if (invocation.Outcome.TrySetResult(InvocationOutcome.Error("Sandbox.Timedout", LambdaErrors.TimedOut(invocation.RequestId, limit), "timeout")))
        {
            invocation.Log($"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {invocation.RequestId} Task timed out after {limit.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds");
        }
        Kill();
    }

    private void OnOutput(string line)
    {
        Volatile.Write(ref _lastOutputTimestamp, Stopwatch.GetTimestamp());
        Invocation? current;
        lock (_gate) current = _current;
        current?.Log(line);
    }

    private void OnExited()
    {
        Invocation? current;
        lock (_gate)
        {
            _broken = true;
            current = _current;
        }
        _exited.TrySetResult();
        if (current is not null) current.Outcome.TrySetResult(ExitOutcome(current));
    }

    private InvocationOutcome ExitOutcome(Invocation invocation)
    {
        int code;
        try { code = _process.ExitCode; }
        catch (InvalidOperationException) { code = -1; }
        if (code == 0)
            return InvocationOutcome.Error("Runtime.ExitError", LambdaErrors.FunctionError("Runtime.ExitError",
                $"RequestId: {invocation.RequestId} Error: Runtime exited without providing a reason"), "error");
        // .NET reports death by signal N as exit code 128 + N, as a shell does; Lambda words it as Go's os/exec.
        string how = code switch
        {
            128 + 9 => "signal: killed",
            128 + 15 => "signal: terminated",
            128 + 6 => "signal: aborted",
            128 + 11 => "signal: segmentation fault",
            _ => $"exit status {code}",
        };
        return InvocationOutcome.Error("Runtime.ExitError", LambdaErrors.ExitError(invocation.RequestId, how), "error");
    }

    /// <summary>
    /// The worker's last lines (printed before it answered) can still be in the pipes when its answer arrives:
    /// wait until the output has been quiet for a moment, so that they land in this invocation's log.
    /// </summary>
    private async Task SettleOutputAsync(long endedTimestamp)
    {
        var settle = _options.LogSettle;
        var until = endedTimestamp + (long)(settle.TotalSeconds * 10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var quiet = Stopwatch.GetElapsedTime(Math.Max(endedTimestamp, Volatile.Read(ref _lastOutputTimestamp)));
            if (quiet >= settle) return;
            await Task.Delay(settle - quiet);
        }
    }
}
