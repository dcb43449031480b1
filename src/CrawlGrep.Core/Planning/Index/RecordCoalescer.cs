using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// Turns the records an index selected in one file into tasks' worth of reads. Sorted by offset, a record whose gap
/// to the read before it is at most the gap limit extends that read (the gap is fetched and skipped); else it starts
/// a new read. A task takes reads until its bytes to fetch would pass the task size or it lists the most records a
/// task may; then the next task begins, so a large selection in one file spreads over cores or workers, and many
/// small reads of one file share a task.
/// </summary>
/// <remarks>
/// Bad index data neither fails nor doubles anything: an offset listed twice is one record (its longest length is
/// read); a record that starts inside the read before it is read with it; a record past the end of the file, or of
/// no length, is listed but read by no range of its own (the scan warns when no record starts there).
/// </remarks>
public static class RecordCoalescer
{
    /// <param name="records">The records of one file, in any order.</param>
    /// <param name="fileLength">The file's size: reads end there.</param>
    /// <param name="gapLimit">The largest gap between records read in one request.</param>
    /// <param name="taskBytes">Bytes to fetch per task (a single record larger than this is a task of its own).</param>
    /// <param name="maxRecordsPerTask">Records per task at most.</param>
    public static List<RecordGroup> Coalesce(IEnumerable<FileExtent> records, long fileLength, long gapLimit, long taskBytes, int maxRecordsPerTask)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gapLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecordsPerTask);
        var sorted = records.ToArray();
        // By offset; of one offset listed twice, the longest first (it is the one kept).
        Array.Sort(sorted, static (a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : b.Length.CompareTo(a.Length));

        var groups = new List<RecordGroup>();
        var listed = new List<FileExtent>();
        var reads = new List<FileExtent>();
        long bytes = 0, readStart = 0, readEnd = -1; // readEnd < 0: no read open in this task

        void EndRead()
        {
            if (readEnd >= 0) reads.Add(new FileExtent(readStart, readEnd - readStart));
            readEnd = -1;
        }
        void EndTask()
        {
            EndRead();
            if (listed.Count > 0) groups.Add(new RecordGroup(listed, reads));
            listed = new List<FileExtent>();
            reads = new List<FileExtent>();
            bytes = 0;
        }

        long lastOffset = long.MinValue;
        foreach (var r in sorted)
        {
            if (listed.Count > 0 && r.Offset == lastOffset) continue;
            lastOffset = r.Offset;
            if (listed.Count >= maxRecordsPerTask) EndTask();
            long start = r.Offset, end = Math.Min(r.End, fileLength);
            if (start >= 0 && start < end)
            {
                bool inside = readEnd >= 0 && start < readEnd;
                bool near = readEnd >= 0 && start - readEnd <= gapLimit;
                long cost = near ? Math.Max(0, end - readEnd) : end - start;
                if (!inside && bytes > 0 && bytes + cost > taskBytes)
                {
                    EndTask();
                    near = false;
                    cost = end - start;
                }
                if (near) readEnd = Math.Max(readEnd, end);
                else
                {
                    EndRead();
                    readStart = start;
                    readEnd = end;
                }
                bytes += cost;
            }
            listed.Add(r with { Length = Math.Max(0, r.Length) });
        }
        EndTask();
        return groups;
    }
}
