using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// One admitted Invoke call on its way through a worker: the event, the request id the worker sees, the faults
/// that apply to it, its log, and the outcome that the first of response, error, exit or timeout decides.
/// </summary>
internal sealed class Invocation
{
    private readonly List<string> _log = [];

    public Invocation(int number, byte[] payload, string invokedArn, IReadOnlyList<LambdaFault> faults)
    {
        Number = number;
        Payload = payload;
        InvokedArn = invokedArn;
        Faults = faults;
        RequestId = Guid.NewGuid().ToString();
        TraceId = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..40] + ";Sampled=0";
    }

    public int Number { get; }

    public string RequestId { get; }

    public string TraceId { get; }

    public byte[] Payload { get; }

    /// <summary>The ARN as the caller named the function (with its qualifier, if it gave one).</summary>
    public string InvokedArn { get; }

    public IReadOnlyList<LambdaFault> Faults { get; }

    /// <summary>Set when the worker's /next returned this invocation.</summary>
    public TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stopwatch timestamp of delivery (0 until then) and the deadline given to the worker.</summary>
    public long DeliveredTimestamp { get; set; }

    /// <summary>Stopwatch timestamp of the outcome, as the emulator took it.</summary>
    public long FinishedTimestamp { get; set; }

    public DateTimeOffset Deadline { get; set; }

    /// <summary>Process start to first /next, when this invocation was its worker's first (a cold start).</summary>
    public double? InitDurationMs { get; set; }

    /// <summary>The first of response, error, init error, exit or timeout wins; the others find it set.</summary>
    public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Finished => Outcome.Task.IsCompleted;

    public void Log(string line)
    {
        lock (_log) _log.Add(line);
    }

    public string LogText()
    {
        lock (_log)
        {
            var sb = new StringBuilder();
            foreach (string line in _log) sb.Append(line).Append('\n');
            return sb.ToString();
        }
    }
}
