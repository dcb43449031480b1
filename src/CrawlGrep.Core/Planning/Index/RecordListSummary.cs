namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// What an index-guided plan reads: the records it selected, the requests (reads) they are fetched in, the bytes
/// those fetch, and what fraction that is of the files' bytes (what a full scan of the same files would read).
/// </summary>
public sealed record RecordListSummary(long Records, long Requests, long FetchBytes, long FileBytes)
{
    public double Fraction => FileBytes == 0 ? 0 : (double)FetchBytes / FileBytes;

    /// <summary>The summary of <paramref name="plan"/>'s record-list tasks; null when it has none.</summary>
    public static RecordListSummary? Of(PlanResult plan)
    {
        var lists = plan.Tasks.Where(t => t.Records is not null).ToList();
        if (lists.Count == 0) return null;
        var sources = lists.Select(t => t.Source).ToHashSet(StringComparer.Ordinal);
        return new RecordListSummary(lists.Sum(t => (long)t.Records!.Count), lists.Sum(t => (long)t.Reads!.Count), lists.Sum(t => t.Bytes),
            plan.Inputs.Where(i => sources.Contains(i.Source)).Sum(i => i.Length));
    }
}
