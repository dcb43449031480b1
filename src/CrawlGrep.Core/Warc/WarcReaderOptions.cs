namespace CrawlGrep.Core.Warc;

public sealed record WarcReaderOptions
{
    /// <summary>A header longer than this is damage, not a header.</summary>
    public int MaxHeaderBytes { get; init; } = 1 << 20;
    /// <summary>Blocks up to this size are handed out whole; larger ones are streamed.</summary>
    public int MaxInMemoryBlock { get; init; } = 32 << 20;
    public int InitialBuffer { get; init; } = 1 << 20;
}
