using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Puts the events of tasks that run at once back in plan order: the first unfinished task's events pass straight
/// through, later tasks' are held until it is done. So each input's hits come out in file order and contiguous, as
/// if it had been scanned whole, and each input gets one <see cref="IHitSink.OnFileDone"/> with the sum of its tasks.
/// Also applies grep -m per input (tasks apply it to themselves; their sum can exceed it).
/// </summary>
internal sealed class OrderedEmitter
{
    private sealed class Slot
    {
        public readonly List<object> Held = new();
        public TaskOutcome? Outcome;
        public int Counted; // of Held, those counted in _heldTotal
        public Func<Stream>? Later; // a partial in its wire form, decoded when the task's turn comes
    }

    private sealed class FileState
    {
        public readonly ScanStats Stats = new() { Files = 1 };
        public readonly List<TaskOutcome> Tasks = new();
        public string? Error, Format;
        public long Lines, Hits;
        public (long, long) LastLine = (-1, -1);
        public bool Full;
    }

    private readonly IReadOnlyList<ScanTask> _tasks;
    private readonly IHitSink _target;
    private readonly long? _maxLines;
    private readonly Slot[] _slots;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _head;

    /// <summary>
    /// Events the tasks that are not first may hold in all before they wait: a few MB of hits. (Held hits outlive
    /// the young generation, so the heap grows by several times what they take: 50,000 peaked at 350 MB.)
    /// </summary>
    public const int DefaultMaxHeld = 5_000;

    private readonly int _maxHeld;
    private int _heldTotal; // events held by all the tasks that are not first
    private readonly bool _hitsInOrder;

    /// <param name="hitsInOrder">
    /// False when the target only counts a hit per matching line (-c, -q with nothing recorded): hits then pass as they
    /// come, whichever task finds them, and no task waits for the one before it (a count is the same in any order, and
    /// -m's cap is the first lines of an input either way). Warnings and each input's end keep file order.
    /// </param>
    public OrderedEmitter(IReadOnlyList<ScanTask> tasks, IHitSink target, long? maxLinesPerFile, int maxHeld = DefaultMaxHeld, bool hitsInOrder = true)
    {
        _hitsInOrder = hitsInOrder;
        _tasks = tasks;
        _target = target;
        _maxLines = maxLinesPerFile;
        _maxHeld = maxHeld;
        _slots = tasks.Select(_ => new Slot()).ToArray();
    }

    /// <summary>Hits emitted so far, over all inputs.</summary>
    public long Hits { get; private set; }

    /// <summary>True once an input has given its -m lines: its tasks not yet started need not run.</summary>
    public bool IsFull(string source)
    {
        lock (_gate) return _files.TryGetValue(source, out var f) && f.Full;
    }

    public IHitSink SinkFor(int task) => new TaskSink(this, task);

    private void OnEvent(int task, object e)
    {
        lock (_gate)
        {
            if (!_hitsInOrder && e is Hit) { Emit(task, e); return; }
            // Memory stays bounded however many hits later tasks find: once they hold MaxHeld events in all, the
            // next one to add waits for its turn. The first unfinished task never waits, so the wait always ends.
            while (task != _head && _heldTotal >= _maxHeld) Monitor.Wait(_gate);
            if (task == _head) Emit(task, e);
            else
            {
                _slots[task].Held.Add(e);
                _slots[task].Counted++;
                _heldTotal++;
            }
        }
    }

    /// <summary>
    /// The events of a task that ran elsewhere, as its partial in wire form: decoded and emitted now if it is the
    /// task's turn, else kept compressed (a few bytes a hit) until it is. Never waits: a wait here could hold up the
    /// delivery of the task whose turn it is.
    /// </summary>
    public void Deliver(int task, Func<Stream> partial)
    {
        lock (_gate)
        {
            if (task == _head) EmitPartial(task, partial);
            else _slots[task].Later = partial;
        }
    }

    private void EmitPartial(int task, Func<Stream> partial)
    {
        using var stream = partial();
        PartialReader.Read(stream, h => Emit(task, h), w => Emit(task, w));
    }

    public void OnTaskDone(int task, TaskOutcome outcome)
    {
        lock (_gate)
        {
            _slots[task].Outcome = outcome;
            while (_head < _slots.Length && _slots[_head].Outcome is not null)
            {
                CloseTask(_head);
                _head++;
                if (_head < _slots.Length)
                {
                    if (_slots[_head].Later is { } later)
                    {
                        _slots[_head].Later = null;
                        EmitPartial(_head, later);
                    }
                    foreach (var e in _slots[_head].Held) Emit(_head, e);
                    _heldTotal -= _slots[_head].Counted;
                    _slots[_head].Counted = 0;
                    _slots[_head].Held.Clear();
                }
            }
            Monitor.PulseAll(_gate); // a task waiting for its turn may have it now
        }
    }

    /// <summary>Marks a task that will not run: done when its input is already full (-m), stopped when the scan was.</summary>
    public void Skip(int task, bool stopped = false)
    {
        var t = _tasks[task];
        var now = DateTime.UtcNow;
        OnTaskDone(task, new TaskOutcome(t.Id, t.Start, t.End, t.Format, new ScanStats(), null, now, now, stopped));
    }

    private FileState File(string source)
    {
        // Hits come in runs of one input: the last one looked up is nearly always the one asked for.
        if (ReferenceEquals(source, _lastSource) && _lastFile is not null) return _lastFile;
        if (!_files.TryGetValue(source, out var f)) _files[source] = f = new FileState();
        _lastSource = source;
        return _lastFile = f;
    }

    private string? _lastSource;
    private FileState? _lastFile;

    private void Emit(int task, object e)
    {
        var file = File(_tasks[task].Source);
        if (e is ScanWarning w)
        {
            _target.OnWarning(w);
            return;
        }
        var hit = (Hit)e;
        var line = (hit.RecordOffset, hit.LineOffset);
        if (line != file.LastLine)
        {
            if (_maxLines is long max && file.Lines >= max) { file.Full = true; return; }
            file.Lines++;
            file.LastLine = line;
        }
        file.Hits++;
        Hits++;
        _target.OnHit(hit);
    }

    private void CloseTask(int task)
    {
        var t = _tasks[task];
        var outcome = _slots[task].Outcome!;
        var file = File(t.Source);
        file.Tasks.Add(outcome);
        if (!outcome.Stopped) file.Format ??= outcome.Format;
        file.Stats.Add(outcome.Stats); // task stats count no file: the input is counted once, in FileState
        file.Error ??= outcome.Error;
        bool last = task + 1 == _tasks.Count || _tasks[task + 1].Source != t.Source;
        if (!last) return;
        file.Stats.Hits = file.Hits;
        _target.OnFileDone(new FileScanResult(t.Source, file.Stats, file.Error, file.Format ?? t.Format) { Tasks = file.Tasks });
        _files.Remove(t.Source);
        _lastSource = null;
        _lastFile = null;
    }

    /// <summary>What a task's scanner writes to: events go through the emitter; its own end is reported by the executor.</summary>
    private sealed class TaskSink(OrderedEmitter emitter, int task) : IHitSink
    {
        public void OnHit(Hit hit) => emitter.OnEvent(task, hit);
        public void OnWarning(ScanWarning warning) => emitter.OnEvent(task, warning);
        public void OnFileDone(FileScanResult result) { }
    }
}
