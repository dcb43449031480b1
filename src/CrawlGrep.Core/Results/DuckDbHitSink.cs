using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Results;

/// <summary>
/// The DuckDB loader: buffers hits and appends them in bulk to one scan of a <see cref="ResultStore"/>;
/// records a <c>tasks</c> row per finished input. Safe to call from several scanning threads.
/// </summary>
public sealed class DuckDbHitSink : IHitSink, IDisposable
{
    public const int DefaultBufferSize = 8192;

    private readonly object _gate = new();      // buffer and bookkeeping
    private readonly object _writeGate = new(); // one bulk append at a time, in swap order
    private readonly ResultStore _store;
    private readonly bool _ownsStore;
    private readonly int _bufferSize;
    private readonly Dictionary<string, DateTime> _fileStarted = new(StringComparer.Ordinal);
    private List<Hit> _buffer;
    private long _hitsWritten;
    private long _warnings;
    private long _tasks;
    private bool _disposed;

    /// <param name="store">Where hits go.</param>
    /// <param name="scanId">The scan from <see cref="ResultStore.BeginScan"/>.</param>
    /// <param name="bufferSize">Hits held before a bulk append.</param>
    /// <param name="ownsStore">Dispose <paramref name="store"/> with this sink.</param>
    public DuckDbHitSink(ResultStore store, long scanId, int bufferSize = DefaultBufferSize, bool ownsStore = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _store = store;
        ScanId = scanId;
        _bufferSize = bufferSize;
        _ownsStore = ownsStore;
        _buffer = new List<Hit>(Math.Min(bufferSize, DefaultBufferSize));
    }

    public long ScanId { get; }

    /// <summary>Hits appended to the store so far (buffered hits not included).</summary>
    public long HitsWritten => Interlocked.Read(ref _hitsWritten);

    /// <summary>Warnings seen (they are counted, not stored).</summary>
    public long Warnings => Interlocked.Read(ref _warnings);

    /// <summary><c>tasks</c> rows written.</summary>
    public long TasksRecorded => Interlocked.Read(ref _tasks);

    /// <summary>Marks when work on an input began, for <c>tasks.started_at</c>. Optional: without it the
    /// time of the input's first hit or warning is used.</summary>
    public void MarkFileStarted(string file, DateTime? at = null)
    {
        lock (_gate) _fileStarted[file] = at ?? DateTime.UtcNow;
    }

    public void OnHit(Hit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        bool full;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _fileStarted.TryAdd(hit.File, DateTime.UtcNow);
            _buffer.Add(hit);
            full = _buffer.Count >= _bufferSize;
        }
        // Other threads keep filling the next buffer while this one is appended.
        if (full) FlushCore(onlyIfFull: true);
    }

    public void OnWarning(ScanWarning warning)
    {
        Interlocked.Increment(ref _warnings);
        lock (_gate) _fileStarted.TryAdd(warning.File, DateTime.UtcNow);
    }

    /// <summary>Flushes buffered hits, then records the input's tasks (one covering the whole file when it was
    /// scanned outside a plan), so a <c>done</c> task row implies its hits are stored.</summary>
    public void OnFileDone(FileScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Flush();
        DateTime? started;
        lock (_gate)
        {
            started = _fileStarted.Remove(result.File, out var s) ? s : null;
        }
        foreach (var t in result.Tasks)
        {
            if (t.Stopped) continue; // neither done nor failed: no row, so a resume runs it

            _store.RecordTask(ScanId, new TaskRecord(t.TaskId, result.File, t.Start, t.End, t.Format,
                t.Error is null ? TaskRecord.Done : TaskRecord.Failed, t.Error, t.Stats.Records, t.Stats.Hits,
                t.Stats.CompressedBytes, t.StartedAt, t.FinishedAt));
            Interlocked.Increment(ref _tasks);
        }
        if (result.Tasks.Count > 0 || result.Stopped) return;
        var end = LengthOf(result);
        var stats = result.Stats ?? new ScanStats();
        var task = new TaskRecord(
            TaskId: TaskRecord.ComputeId(result.File, 0, end),
            Source: result.File,
            RangeStart: 0,
            RangeEnd: end,
            Format: result.Format,
            Status: result.Error is null ? TaskRecord.Done : TaskRecord.Failed,
            Error: result.Error,
            Records: stats.Records,
            Hits: stats.Hits,
            CompressedBytes: stats.CompressedBytes,
            StartedAt: started,
            FinishedAt: DateTime.UtcNow);
        _store.RecordTask(ScanId, task);
        Interlocked.Increment(ref _tasks);
    }

    /// <summary>Appends all buffered hits now.</summary>
    public void Flush() => FlushCore(onlyIfFull: false);

    private void FlushCore(bool onlyIfFull)
    {
        // Swapping under the write lock means that once Flush returns, every hit added before
        // the call is in the store, even one sitting in a buffer another thread was writing.
        lock (_writeGate)
        {
            List<Hit> pending;
            lock (_gate)
            {
                if (_buffer.Count == 0 || (onlyIfFull && _buffer.Count < _bufferSize)) return;
                pending = SwapBuffer();
            }
            _store.AppendHits(pending, ScanId);
            Interlocked.Add(ref _hitsWritten, pending.Count);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
        }
        try
        {
            Flush();
        }
        finally
        {
            lock (_gate) _disposed = true;
            if (_ownsStore) _store.Dispose();
        }
    }

    private List<Hit> SwapBuffer()
    {
        var full = _buffer;
        _buffer = new List<Hit>(Math.Min(_bufferSize, DefaultBufferSize));
        return full;
    }

    /// <summary>The task's range end: the file's length when it is a local file, else the bytes read.</summary>
    private static long LengthOf(FileScanResult result)
    {
        try
        {
            var info = new FileInfo(result.File);
            if (info.Exists) return info.Length;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Not a local path (a URL): fall through.
        }
        return result.Stats?.CompressedBytes ?? 0;
    }
}
