namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// One record an index selected: Common Crawl's <c>warc_filename</c>, <c>warc_record_offset</c> and
/// <c>warc_record_length</c>. <see cref="File"/> is the source as a scan names it (a path or URL), so the hits of
/// the record carry it as their <c>file</c>.
/// </summary>
public readonly record struct SelectedRecord(string File, long Offset, long Length)
{
    public long End => Offset + Length;
}
