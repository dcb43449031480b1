namespace CrawlGrep.Core.Sources;

/// <summary>A file on a local disk.</summary>
public sealed class LocalFileSource : IByteSource
{
    private readonly string _path;

    public LocalFileSource(string path)
    {
        _path = path;
        Length = new FileInfo(path).Length;
    }

    /// <summary>Ranges longer than this are read ahead on a thread of their own (a short read is over before it would help).</summary>
    private const long PrefetchAbove = 4 << 20;

    public string Name => _path;
    public long Length { get; }

    public Stream OpenRange(long start, long end)
    {
        // No FileStream buffering: the decoders read in large blocks of their own, and reading runs ahead of them.
        var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        if (start > 0) fs.Seek(start, SeekOrigin.Begin);
        Stream range = end >= Length ? fs : new RangeStream(fs, end - start);
        return end - start > PrefetchAbove ? new PrefetchStream(range) : range;
    }
}
