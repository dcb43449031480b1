using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Results;

/// <summary>
/// The reducer of a recorded scan: each task's partial becomes its hits and its <c>tasks</c> row in one transaction
/// of the result file, once per task id, as tasks finish. A task done is durable at once, whatever happens to the
/// rest of the scan. Safe to call from several threads (the store serializes its writes).
/// </summary>
public sealed class DuckDbReducer(ResultStore store, long scanId) : ITaskReducer
{
    private long _hits, _tasks, _duplicates;

    public long ScanId => scanId;

    /// <summary>Hits committed so far.</summary>
    public long HitsWritten => Interlocked.Read(ref _hits);

    /// <summary><c>tasks</c> rows written.</summary>
    public long TasksRecorded => Interlocked.Read(ref _tasks);

    /// <summary>Copies of tasks already committed, left out.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Commits a partial read whole (<see cref="PartialReader.Read(Stream)"/>): its hits go in as columns too.</summary>
    public bool Commit(TaskPartial partial)
    {
        using var batch = new HitBatch();
        foreach (var h in partial.Hits) batch.Add(h);
        return Commit(partial.Source, partial.Outcome, batch);
    }

    public bool Commit(string source, TaskOutcome outcome, HitBatch hits)
    {
        if (!store.CommitTask(scanId, RowOf(source, outcome, hits.Count), hits))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }
        Interlocked.Add(ref _hits, hits.Count);
        Interlocked.Increment(ref _tasks);
        return true;
    }

    public TaskOutcome? Commit(ScanTask task, Func<Stream> partial, TaskBilling? billing)
    {
        TaskOutcome? outcome = null;
        long hits = 0;
        bool committed = store.CommitTask(scanId, task.Id, task.Source, task.Start, task.End, append =>
        {
            using var stream = partial();
            var (source, o) = PartialReader.Read(stream, h => { append(h); hits++; }, _ => { });
            if (o.TaskId != task.Id || source != task.Source)
                throw new InvalidDataException($"damaged partial result: it is of task {o.TaskId} ({source}), not {task.Id}");
            outcome = o;
            return RowOf(source, o, hits, billing);
        });
        if (!committed)
        {
            Interlocked.Increment(ref _duplicates);
            return null;
        }
        Interlocked.Add(ref _hits, hits);
        Interlocked.Increment(ref _tasks);
        return outcome;
    }

    private static TaskRecord RowOf(string source, TaskOutcome o, long hits, TaskBilling? billing = null) =>
        new(o.TaskId, source, o.Start, o.End, o.Format, o.Error is null ? TaskRecord.Done : TaskRecord.Failed,
            o.Error, o.Stats.Records, hits, o.Stats.CompressedBytes, o.StartedAt, o.FinishedAt, billing);

    public void RecordUnreadable(string source, string error)
    {
        var now = DateTime.UtcNow;
        store.CommitTask(scanId, new TaskRecord(TaskRecord.ComputeId(source, 0, 0), source, 0, 0, "", TaskRecord.Failed, error, 0, 0, 0, now, now), []);
        Interlocked.Increment(ref _tasks);
    }
}
