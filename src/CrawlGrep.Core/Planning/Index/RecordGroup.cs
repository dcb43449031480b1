using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The records of one file that one task owns, and the ranges it reads them in (one request each). A record whose
/// bytes lie outside the file (bad index data) is listed but read by no range: the scan says it was not found.
/// </summary>
public sealed record RecordGroup(IReadOnlyList<FileExtent> Records, IReadOnlyList<FileExtent> Reads)
{
    /// <summary>The bytes its reads fetch.</summary>
    public long Bytes => Reads.Sum(r => r.Length);
}
