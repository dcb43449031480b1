using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Where every executor hands its tasks' results: each finished task goes to the reducer (committed once, in the
/// order tasks finish) and to the printers (in file order, through the <see cref="OrderedEmitter"/>). A task that
/// runs here streams its events while it runs; one that ran elsewhere is delivered whole, once, however many copies
/// of it come back.
/// </summary>
public sealed class TaskResults
{
    private readonly OrderedEmitter _emitter;
    private readonly ITaskReducer? _reducer;
    private readonly int[] _claimed;
    private readonly ScanStats _totals = new();
    private TaskCommitQueue? _commits;

    /// <param name="tasks">The scan's tasks; <see cref="Tasks"/> has them in file order, each input's together.</param>
    /// <param name="printers">What shows the hits: gets them in file order, and one <see cref="IHitSink.OnFileDone"/> per input.</param>
    /// <param name="reducer">Where finished tasks are recorded; null for a scan not recorded.</param>
    /// <param name="hitsInOrder">False when the printers only count matching lines: see <see cref="OrderedEmitter"/>.</param>
    /// <param name="renderer">Where hits are printed, rendered on the threads that find them, instead of by <paramref name="printers"/>.</param>
    public TaskResults(IReadOnlyList<ScanTask> tasks, IHitSink printers, ITaskReducer? reducer, long? maxLinesPerFile, int maxHeld = OrderedEmitter.DefaultMaxHeld,
        bool hitsInOrder = true, IHitRenderer? renderer = null)
    {
        Tasks = PrintOrder(tasks);
        _emitter = new OrderedEmitter(Tasks, printers, maxLinesPerFile, maxHeld, hitsInOrder, renderer);
        _reducer = reducer;
        _claimed = new int[Tasks.Count];
    }

    /// <summary>
    /// Tasks grouped by input in the order the inputs first come, each input's by start (then as planned). Loops, not
    /// LINQ: LINQ's generic code over these types is compiled at every start of a framework-dependent build.
    /// </summary>
    private static List<ScanTask> PrintOrder(IReadOnlyList<ScanTask> tasks)
    {
        var inputs = new Dictionary<string, int>(StringComparer.Ordinal);
        var input = new int[tasks.Count];
        var order = new int[tasks.Count];
        for (int i = 0; i < tasks.Count; i++)
        {
            input[i] = inputs.TryGetValue(tasks[i].Source, out int k) ? k : inputs[tasks[i].Source] = inputs.Count;
            order[i] = i;
        }
        Array.Sort(order, (a, b) =>
            input[a] != input[b] ? input[a].CompareTo(input[b]) : tasks[a].Start != tasks[b].Start ? tasks[a].Start.CompareTo(tasks[b].Start) : a.CompareTo(b));
        var sorted = new List<ScanTask>(tasks.Count);
        foreach (int i in order) sorted.Add(tasks[i]);
        return sorted;
    }

    /// <summary>The tasks in the order their results are printed: run them in this order.</summary>
    public IReadOnlyList<ScanTask> Tasks { get; }

    /// <summary>Hits printed so far.</summary>
    public long Hits => _emitter.Hits;

    /// <summary>The sum of the finished tasks' stats (no file counts: inputs are counted by the caller).</summary>
    public ScanStats Totals
    {
        get { lock (_totals) { var t = new ScanStats(); t.Add(_totals); t.Hits = Hits; return t; } }
    }

    /// <summary>True once an input has given its -m lines: its tasks not yet started need not run.</summary>
    public bool IsFull(string source) => _emitter.IsFull(source);

    /// <summary>Starts task <paramref name="index"/> here: its events go to the printers as they come, and are kept for the reducer.</summary>
    public TaskCollector Begin(int index)
    {
        if (Interlocked.Exchange(ref _claimed[index], 1) != 0) throw new InvalidOperationException($"task {Tasks[index].Id} was started twice");
        return new TaskCollector(Tasks[index].Source, _emitter.SinkFor(index), keep: _reducer is not null);
    }

    /// <summary>Ends a task begun with <see cref="Begin"/>: commits it on this thread.</summary>
    public void Complete(int index, TaskCollector collector, TaskOutcome outcome) => Finish(index, collector, outcome);

    /// <summary>
    /// Ends a task begun with <see cref="Begin"/> as <see cref="Complete"/> does, but commits it on the writer thread
    /// (waits while that one is behind); <see cref="Drain"/> waits until every task so handed over is committed.
    /// </summary>
    public void CompleteLater(int index, TaskCollector collector, TaskOutcome outcome)
    {
        if (_reducer is null || outcome.Stopped)
        {
            Finish(index, collector, outcome);
            return;
        }
        // Its hits are all out: the next task prints now, not once this one is committed (a commit can take as long
        // as the scan of a task, and the next task would wait for it with the hits it may hold in full).
        _emitter.OnTaskScanned(index);
        TaskCommitQueue queue;
        lock (_totals) queue = _commits ??= new TaskCommitQueue();
        queue.Post(() => Finish(index, collector, outcome));
    }

    /// <summary>Waits until every task handed to <see cref="CompleteLater"/> is committed and done.</summary>
    public void Drain()
    {
        TaskCommitQueue? queue;
        lock (_totals) { queue = _commits; _commits = null; }
        queue?.Drain();
    }

    /// <summary>
    /// A task that ran elsewhere (a Lambda worker), as its partial in wire form: committed as it is decoded, and
    /// printed in its turn (kept compressed until then), unless a copy of the task was delivered already (a
    /// speculative copy, a retry that also got through): then null, and nothing happens. Returns the task's outcome.
    /// A damaged partial is an <see cref="InvalidDataException"/>; nothing of it is kept, and the task may be delivered again.
    /// <paramref name="billing"/> (what Lambda billed for the task, all its invocations) goes on the task's row.
    /// </summary>
    public TaskOutcome? Deliver(int index, Func<Stream> partial, TaskBilling? billing = null)
    {
        if (Interlocked.CompareExchange(ref _claimed[index], 1, 0) != 0) return null;
        var task = Tasks[index];
        TaskOutcome outcome;
        try
        {
            // The reducer's pass decodes and checks it; without one, a check that it is whole and its outcome (the
            // printers' pass is below, once the partial is known to be whole: nothing is printed of a damaged one).
            outcome = _reducer?.Commit(task, partial, billing) ?? OutcomeOf(task, partial);
        }
        catch (InvalidDataException)
        {
            Interlocked.Exchange(ref _claimed[index], 0);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not recorded: the task must not pass for done, so the scan ends incomplete and a resume runs it again.
            outcome = OutcomeOf(task, partial);
            outcome.Stats.Errors++;
            outcome = outcome with { Error = outcome.Error ?? $"not recorded: {e.Message}" };
        }
        _emitter.Deliver(index, partial);
        lock (_totals) _totals.Add(outcome.Stats);
        _emitter.OnTaskDone(index, outcome);
        return outcome;
    }

    private static TaskOutcome OutcomeOf(ScanTask task, Func<Stream> partial)
    {
        using var stream = partial();
        var (source, outcome) = PartialReader.Check(stream);
        if (outcome.TaskId != task.Id || source != task.Source)
            throw new InvalidDataException($"damaged partial result: it is of task {outcome.TaskId} ({source}), not {task.Id}");
        return outcome;
    }

    /// <summary>Marks a task that will not run: done when its input is already full (-m), stopped when the scan was.</summary>
    public void Skip(int index, bool stopped)
    {
        Interlocked.Exchange(ref _claimed[index], 1);
        _emitter.Skip(index, stopped);
    }

    private void Finish(int index, TaskCollector collector, TaskOutcome outcome)
    {
        // A stopped task is neither done nor failed: it gets no row, so a resume runs it.
        using (collector)
        {
            if (_reducer is not null && !outcome.Stopped)
            {
                try { _reducer.Commit(collector.Source, outcome, collector.Hits); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Not recorded: the task must not pass for done, so the scan ends incomplete and a resume runs it again.
                    outcome.Stats.Errors++;
                    outcome = outcome with { Error = outcome.Error ?? $"not recorded: {e.Message}" };
                }
            }
        }
        lock (_totals) _totals.Add(outcome.Stats);
        _emitter.OnTaskDone(index, outcome);
    }
}

/// <summary>
/// The sink of a task running here: passes each event on at once (to the printers, in their turn) and keeps the
/// hits, in columns, for the reducer when there is one to take them.
/// </summary>
public sealed class TaskCollector(string source, IHitSink next, bool keep) : IHitSink, IDisposable
{
    private HitBatch? _hits;

    public string Source => source;

    /// <summary>The hits kept (none when there is no reducer).</summary>
    public HitBatch Hits => _hits ??= new HitBatch();

    public void OnHit(Hit hit)
    {
        if (keep) Hits.Add(hit);
        next.OnHit(hit);
    }

    public void OnWarning(ScanWarning warning) => next.OnWarning(warning);

    public void OnFileDone(FileScanResult result) { }

    public void Dispose() => _hits?.Dispose();
}
