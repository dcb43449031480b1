using System.Buffers;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Puts the events of tasks that run at once back in plan order: the first unfinished task's events pass straight
/// through, later tasks' are held until it is done. So each input's hits come out in file order and contiguous, as
/// if it had been scanned whole, and each input gets one <see cref="IHitSink.OnFileDone"/> with the sum of its tasks.
/// Also applies grep -m per input (tasks apply it to themselves; their sum can exceed it).
/// With a renderer, a hit is rendered on the thread of the task that found it, and a later task holds its rendered
/// bytes, not the hit: the printing's formatting runs on every core, and only the copying out goes in file order.
/// </summary>
internal sealed class OrderedEmitter
{
    private sealed class Slot
    {
        public readonly List<object> Held = new();
        public bool Scanned; // every event is in: the tasks after it print without waiting for it
        public TaskOutcome? Outcome;
        public int Counted; // of Held, those counted in _heldTotal
        public Func<Stream>? Later; // a partial in its wire form, decoded when the task's turn comes
        public HeldBytes? Rendered; // the bytes of the RenderedHits in Held
        public (long, long) LastLine = (-1, -1); // of the hits passed unordered
    }

    /// <summary>What -m needs of a rendered hit, and how many of the bytes rendered with it are its.</summary>
    internal readonly record struct RenderedLine(long RecordOffset, long LineOffset, int Length);

    /// <summary>Hits rendered ahead of their turn: where their bytes are in their slot's Rendered, one after another.</summary>
    private sealed record RenderedBatch(int Chunk, int Offset, RenderedLine[] Lines);

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
    private readonly TaskSink?[] _sinks;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _head; // the first task not yet scanned: its events pass, later tasks' are held
    private int _closed; // the first task whose outcome has not been added to its input's

    /// <summary>
    /// Events the tasks that are not first may hold in all before they wait: a few MB of hits. (Held hits outlive
    /// the young generation, so the heap grows by several times what they take: 50,000 peaked at 350 MB.)
    /// </summary>
    public const int DefaultMaxHeld = 5_000;

    private readonly int _maxHeld;
    private int _heldTotal; // events held by all the tasks that are not first
    private readonly bool _hitsInOrder;

    /// <summary>Rendered bytes the tasks that are not first may hold in all before they wait (a batch, up to 32 KB, may go past).</summary>
    public const int MaxHeldBytes = 64 << 20;

    private readonly IHitRenderer? _renderer;
    private long _heldBytes; // rendered bytes held by all the tasks that are not first
    private ITaskRenderer? _ownRenderer; // for hits that come rendered by no task (partials of remote tasks)

    /// <param name="hitsInOrder">
    /// False when the target only counts a hit per matching line (-c, -q with nothing recorded): hits then pass as they
    /// come, whichever task finds them, and no task waits for the one before it (a count is the same in any order, and
    /// -m's cap is the first lines of an input either way). Warnings and each input's end keep file order.
    /// </param>
    /// <param name="renderer">Where hits are printed instead of <paramref name="target"/>'s <see cref="IHitSink.OnHit"/>: rendered
    /// by each task's thread, written out in order.</param>
    public OrderedEmitter(IReadOnlyList<ScanTask> tasks, IHitSink target, long? maxLinesPerFile, int maxHeld = DefaultMaxHeld, bool hitsInOrder = true,
        IHitRenderer? renderer = null)
    {
        _hitsInOrder = hitsInOrder;
        _renderer = renderer;
        _tasks = tasks;
        _target = target;
        _maxLines = maxLinesPerFile;
        _maxHeld = maxHeld;
        _slots = tasks.Select(_ => new Slot()).ToArray();
        _sinks = new TaskSink?[tasks.Count];
    }

    /// <summary>Hits emitted so far, over all inputs.</summary>
    public long Hits { get; private set; }

    /// <summary>True once an input has given its -m lines: its tasks not yet started need not run.</summary>
    public bool IsFull(string source)
    {
        lock (_gate) return _files.TryGetValue(source, out var f) && f.Full;
    }

    /// <summary>The sink a task's scanner writes to (one per task, made on first asking).</summary>
    public IHitSink SinkFor(int task)
    {
        var sink = Volatile.Read(ref _sinks[task]);
        return sink ?? Interlocked.CompareExchange(ref _sinks[task], sink = new TaskSink(this, task), null) ?? sink;
    }

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

    /// <summary>A hit its task rendered: written out now if it is the task's turn, else its bytes are held.</summary>
    private void OnRendered(int task, Hit hit, ReadOnlySpan<byte> bytes) =>
        OnRendered(task, bytes, [new RenderedLine(hit.RecordOffset, hit.LineOffset, bytes.Length)]);

    /// <summary>Hits a task rendered, their bytes one after another: written out now if it is the task's turn, else held.</summary>
    private void OnRendered(int task, ReadOnlySpan<byte> bytes, ReadOnlySpan<RenderedLine> lines)
    {
        lock (_gate)
        {
            while (task != _head && _heldBytes >= MaxHeldBytes) Monitor.Wait(_gate);
            if (task == _head)
            {
                EmitRendered(task, bytes, lines);
                return;
            }
            var slot = _slots[task];
            var (chunk, offset) = (slot.Rendered ??= new HeldBytes()).Add(bytes);
            slot.Held.Add(new RenderedBatch(chunk, offset, lines.ToArray()));
            _heldBytes += bytes.Length;
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

    /// <summary>
    /// A task whose events are all in, though not yet its outcome (it waits for its commit): the tasks after it print
    /// without waiting for it. Its input's end (<see cref="IHitSink.OnFileDone"/>) waits for <see cref="OnTaskDone"/>.
    /// </summary>
    public void OnTaskScanned(int task)
    {
        _sinks[task]?.Flush(); // on the task's thread: what it rendered last is in before it counts as scanned
        lock (_gate)
        {
            _slots[task].Scanned = true;
            Advance();
        }
    }

    /// <summary>A task's end, with its outcome: scanned, and done.</summary>
    public void OnTaskDone(int task, TaskOutcome outcome)
    {
        _sinks[task]?.Flush(); // nothing left after OnTaskScanned: a task that runs here ends on its own thread
        lock (_gate)
        {
            _slots[task].Scanned = true;
            _slots[task].Outcome = outcome;
            Advance();
        }
    }

    /// <summary>
    /// Moves the turn past the scanned tasks, letting out what the next one held, then closes the tasks whose events
    /// are out and whose outcome is known, in plan order: an input ends once all its hits are out and its tasks done.
    /// </summary>
    private void Advance()
    {
        while (_head < _slots.Length && _slots[_head].Scanned)
        {
            _head++;
            if (_head == _slots.Length) break;
            var slot = _slots[_head];
            if (slot.Later is { } later)
            {
                slot.Later = null;
                EmitPartial(_head, later);
            }
            foreach (var e in slot.Held) Emit(_head, e);
            _heldTotal -= slot.Counted;
            slot.Counted = 0;
            slot.Held.Clear();
            _heldBytes -= slot.Rendered?.Length ?? 0;
            slot.Rendered?.Dispose();
            slot.Rendered = null;
        }
        while (_closed < _head && _slots[_closed].Outcome is not null) CloseTask(_closed++);
        Monitor.PulseAll(_gate); // a task waiting for its turn may have it now
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
        if (e is RenderedBatch b)
        {
            int length = 0;
            foreach (var line in b.Lines) length += line.Length;
            EmitRendered(task, _slots[task].Rendered!.Get(b.Chunk, b.Offset, length), b.Lines);
            return;
        }
        var hit = (Hit)e;
        if (!Admit(file, task, hit.RecordOffset, hit.LineOffset, out bool newLine)) return;
        if (!_hitsInOrder && !newLine) return; // a count takes a line once; its other hits may come after another task's
        if (_renderer is null)
        {
            _target.OnHit(hit);
            return;
        }
        _ownRenderer ??= _renderer.ForTask();
        _renderer.Write(_ownRenderer.Render(hit));
    }

    /// <summary>Writes out the rendered hits -m admits: each run of them with one write.</summary>
    private void EmitRendered(int task, ReadOnlySpan<byte> bytes, ReadOnlySpan<RenderedLine> lines)
    {
        var file = File(_tasks[task].Source);
        int run = 0, end = 0; // the run of admitted bytes not yet written: [run, end)
        foreach (var line in lines)
        {
            if (!Admit(file, task, line.RecordOffset, line.LineOffset, out _))
            {
                if (end > run) _renderer!.Write(bytes[run..end]);
                run = end + line.Length;
            }
            end += line.Length;
        }
        if (end > run) _renderer!.Write(bytes[run..end]);
    }

    /// <summary>
    /// Counts a hit of <paramref name="file"/> about to be emitted; false when -m has already been given its lines.
    /// A line's hits come together in file order; unordered, together within their task's run (tasks interleave).
    /// </summary>
    private bool Admit(FileState file, int task, long recordOffset, long lineOffset, out bool newLine)
    {
        var line = (recordOffset, lineOffset);
        ref var last = ref _hitsInOrder ? ref file.LastLine : ref _slots[task].LastLine;
        newLine = line != last;
        if (newLine)
        {
            if (_maxLines is long max && file.Lines >= max) { file.Full = true; return false; }
            file.Lines++;
            last = line;
        }
        file.Hits++;
        Hits++;
        return true;
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

    /// <summary>
    /// What a task's scanner writes to: events go through the emitter; its own end is reported by the executor. A task
    /// whose turn it is not yet gathers what it renders in batches, handed over with one lock each: a broad pattern
    /// finds millions of hits, and a lock and a held entry per hit kept the other scanning threads waiting. (Hits of
    /// the task whose turn it is go out one by one, as they are found.)
    /// </summary>
    private sealed class TaskSink(OrderedEmitter emitter, int task) : IHitSink
    {
        private const int BatchHits = 256, BatchBytes = 32 << 10;

        private readonly ITaskRenderer? _render = emitter._renderer?.ForTask();
        private ArrayBufferWriter<byte>? _bytes;
        private RenderedLine[]? _lines;
        private int _count;

        public void OnHit(Hit hit)
        {
            if (_render is null)
            {
                emitter.OnEvent(task, hit);
                return;
            }
            var bytes = _render.Render(hit); // rendered here, on the task's own thread
            if (task == Volatile.Read(ref emitter._head))
            {
                Flush();
                emitter.OnRendered(task, hit, bytes);
                return;
            }
            (_bytes ??= new(BatchBytes + 4096)).Write(bytes);
            (_lines ??= new RenderedLine[BatchHits])[_count++] = new RenderedLine(hit.RecordOffset, hit.LineOffset, bytes.Length);
            if (_count == BatchHits || _bytes.WrittenCount >= BatchBytes) Flush();
        }

        /// <summary>Hands the hits gathered so far to the emitter. On the task's thread, or once it is done with the sink.</summary>
        public void Flush()
        {
            if (_count == 0) return;
            emitter.OnRendered(task, _bytes!.WrittenSpan, _lines.AsSpan(0, _count));
            _bytes.ResetWrittenCount();
            _count = 0;
        }

        public void OnWarning(ScanWarning warning)
        {
            Flush(); // the hits before it come out before it
            emitter.OnEvent(task, warning);
        }

        public void OnFileDone(FileScanResult result) { }
    }
}
