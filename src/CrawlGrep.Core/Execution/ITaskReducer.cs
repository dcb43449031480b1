using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Execution;

/// <summary>Where finished tasks are kept: each partial committed whole, once per task id, in the order tasks finish.</summary>
public interface ITaskReducer
{
    /// <summary>
    /// Commits a finished (done or failed) task that ran here, with its hits in columns; false when a copy of it was
    /// already committed done.
    /// </summary>
    bool Commit(string source, TaskOutcome outcome, HitBatch hits);

    /// <summary>
    /// Commits a task's partial in its wire form (<see cref="PartialWriter"/>), decoding it as it goes: no hit is held.
    /// Returns the partial's outcome, or null when a copy of the task was already committed done (then nothing is
    /// decoded). A partial that is damaged, or is another task's, is an <see cref="InvalidDataException"/>, and nothing of it is kept.
    /// <paramref name="billing"/> is what Lambda billed for the task, kept on its row; null for a task not run there.
    /// </summary>
    TaskOutcome? Commit(ScanTask task, Func<Stream> partial, TaskBilling? billing);

    /// <summary>Records an input that could not be planned at all (missing, not an archive) as a failed task.</summary>
    void RecordUnreadable(string source, string error);
}
