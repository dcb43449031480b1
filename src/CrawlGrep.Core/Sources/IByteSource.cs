namespace CrawlGrep.Core.Sources;

/// <summary>Source stage: the bytes of [start, end) of one object. Owns I/O and retries; nothing downstream sees them.</summary>
public interface IByteSource
{
    /// <summary>The source as the user gave it (path or URL): the <c>file</c> column of a hit.</summary>
    string Name { get; }
    long Length { get; }
    Stream OpenRange(long start, long end);

    /// <summary>
    /// Bytes [start, end), of which the reader expects to need those up to <paramref name="expectedEnd"/> (a task's
    /// range; it reads on only to finish its last record). A remote source asks for about that much at first.
    /// </summary>
    Stream OpenRange(long start, long end, long expectedEnd) => OpenRange(start, end);
}
