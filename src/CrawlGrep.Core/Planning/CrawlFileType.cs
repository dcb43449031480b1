namespace CrawlGrep.Core.Planning;

/// <summary>The three kinds of file each Common Crawl crawl publishes, each listed in <c>{type}.paths.gz</c>.</summary>
public enum CrawlFileType
{
    /// <summary>Full WARC records: requests, responses, metadata.</summary>
    Warc,
    /// <summary>Extracted plain text (WARC conversion records).</summary>
    Wet,
    /// <summary>JSON metadata of each record.</summary>
    Wat,
}
