namespace CrawlGrep.Core.Execution;

/// <summary>Where finished tasks are kept: each partial committed whole, once per task id, in the order tasks finish.</summary>
public interface ITaskReducer
{
    /// <summary>Commits a finished (done or failed) task; false when a copy of it was already committed done.</summary>
    bool Commit(TaskPartial partial);

    /// <summary>Records an input that could not be planned at all (missing, not an archive) as a failed task.</summary>
    void RecordUnreadable(string source, string error);
}
