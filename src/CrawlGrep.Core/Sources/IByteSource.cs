namespace CrawlGrep.Core.Sources;

/// <summary>Source stage: the bytes of [start, end) of one object. Owns I/O and retries; nothing downstream sees them.</summary>
public interface IByteSource
{
    /// <summary>The source as the user gave it (path or URL): the <c>file</c> column of a hit.</summary>
    string Name { get; }
    long Length { get; }
    Stream OpenRange(long start, long end);
}
