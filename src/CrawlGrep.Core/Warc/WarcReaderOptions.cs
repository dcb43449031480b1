namespace CrawlGrep.Core.Warc;

public sealed record WarcReaderOptions
{
    /// <summary>A header longer than this is damage, not a header.</summary>
    public int MaxHeaderBytes { get; init; } = 1 << 20;
    /// <summary>Blocks up to this size are handed out whole; larger ones are streamed.</summary>
    public int MaxInMemoryBlock { get; init; } = 8 << 20;
    public int InitialBuffer { get; init; } = 1 << 20;
    /// <summary>
    /// The data starts at an arbitrary offset (a task's range): what comes before the first record is not damage,
    /// and a <c>WARC/</c> line counts as the first record only when its header parses and its Content-Length lands
    /// on the next record (or the end), or its header has the fields every WARC record has.
    /// </summary>
    public bool StartsMidStream { get; init; }
}
