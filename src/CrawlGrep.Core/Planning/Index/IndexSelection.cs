namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The records an index selected, sorted by file and offset, and the values of the index columns asked to be kept
/// with them (one row per record, in <see cref="KeptColumns"/> order).
/// </summary>
public sealed record IndexSelection(IReadOnlyList<SelectedRecord> Records, IReadOnlyList<IndexColumn> KeptColumns, IReadOnlyList<object?[]> KeptValues)
{
    /// <summary>What selected them, for messages: e.g. <c>--where url_host_tld = 'no'</c>.</summary>
    public string Description { get; init; } = "";

    public int Files => Records.Select(r => r.File).Distinct().Count();

    public long Bytes => Records.Sum(r => r.Length);
}
