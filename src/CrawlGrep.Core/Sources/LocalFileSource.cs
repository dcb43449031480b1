namespace CrawlGrep.Core.Sources;

/// <summary>A file on a local disk.</summary>
public sealed class LocalFileSource : IByteSource
{
    private readonly string _path;

    public LocalFileSource(string path)
    {
        _path = path;
        // The length of what opening the path reads: a symbolic link's own FileInfo is the link's length.
        using var file = File.OpenHandle(path);
        Length = RandomAccess.GetLength(file);
    }

    public string Name => _path;
    public long Length { get; }

    public Stream OpenRange(long start, long end) => OpenRange(start, end, end);

    /// <summary>The file through memory-mapped windows, read in place (by the reader, or by a compressed file's decoder).</summary>
    public FileWindows MapWindows(int window = FileWindows.DefaultWindow) => new(_path, Length, window);

    public Stream OpenRange(long start, long end, long expectedEnd)
    {
        // No FileStream buffering: the decoders read in large blocks of their own, and reading runs ahead of them.
        var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        if (start > 0) fs.Seek(start, SeekOrigin.Begin);
        Stream range = end >= Length ? fs : new RangeStream(fs, end - start);
        // Long ranges are read ahead on a thread of their own, up to a little past where the reader should stop.
        return PrefetchStream.Worthwhile(start, expectedEnd) ? new PrefetchStream(range, aheadLimit: expectedEnd - start + (1 << 20)) : range;
    }
}
