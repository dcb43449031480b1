namespace CrawlGrep.Core.Compression;

/// <summary>
/// A decoder whose output already lies in memory (an uncompressed file mapped from the page cache): the reader looks
/// at it in place, a window at a time, instead of copying decoder steps into a buffer of its own.
/// </summary>
public interface IWindowedDecoder : IArchiveDecoder
{
    /// <summary>The file position of decoded position 0.</summary>
    long BaseOffset { get; }

    /// <summary>
    /// Moves the window to decoded position <paramref name="from"/>, holding at least <paramref name="minLength"/>
    /// bytes unless the input ends first. Returns how many bytes it holds; earlier windows are gone.
    /// </summary>
    int Slide(long from, long minLength);

    /// <summary>The current window's bytes.</summary>
    ReadOnlySpan<byte> Window { get; }
}
