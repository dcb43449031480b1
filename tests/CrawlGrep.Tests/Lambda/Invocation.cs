using System.Text;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// One admitted invocation on its way through a worker (a synchronous Invoke call, or one attempt of a queued event):
/// the event, the request id the worker sees, the faults that apply to it, its log, and the outcome that the first of
/// response, error, exit or timeout decides.
/// </summary>
internal sealed class Invocation
{
    private readonly List<string> _log = [];

    /// <param name="eventAttempt">For an event: which attempt this is (1 to 3) and the request id its 202 gave, which every attempt keeps.</param>
    public Invocation(int number, byte[] payload, string invokedArn, IReadOnlyList<LambdaFault> faults, (int Number, string RequestId)? eventAttempt = null)
    {
        Number = number;
        Payload = payload;
        InvokedArn = invokedArn;
        Faults = faults;
        IsEvent = eventAttempt is not null;
        Attempt = eventAttempt?.Number ?? 1;
        RequestId = eventAttempt?.RequestId ?? Guid.NewGuid().ToString();
        TraceId = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..40] + ";Sampled=0";
    }

    public int Number { get; }

    public string RequestId { get; }

    /// <summary>An asynchronous (Event) invocation: no caller waits for its outcome.</summary>
    public bool IsEvent { get; }

    /// <summary>1 for a synchronous invocation and an event's first attempt; 2 and 3 for an event's retries.</summary>
    public int Attempt { get; }

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
