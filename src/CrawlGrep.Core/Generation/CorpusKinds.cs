namespace CrawlGrep.Core.Generation;

/// <summary>Which files of a Common Crawl segment to generate.</summary>
[Flags]
public enum CorpusKinds
{
    None = 0,
    /// <summary>The WARC: warcinfo, then request, response and metadata records per page.</summary>
    Warc = 1,
    /// <summary>The WET: warcinfo, then a <c>conversion</c> record (extracted text) per HTML page.</summary>
    Wet = 2,
    /// <summary>The WAT: warcinfo, then a JSON <c>metadata</c> record per WARC record.</summary>
    Wat = 4,
    All = Warc | Wet | Wat,
}
