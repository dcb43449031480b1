using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Compression;

/// <summary>The decoder for a format: the one place that maps <see cref="ArchiveFormat"/> to an <see cref="IArchiveDecoder"/>.</summary>
public static class ArchiveDecoders
{
    /// <param name="input">The compressed bytes from <paramref name="baseOffset"/> of the file on.</param>
    /// <param name="zstdDictionary">The warc-zstd dictionary, when <paramref name="input"/> does not start at the file head.</param>
    /// <param name="midStream">The input starts at an arbitrary offset (a task's range) rather than at a unit or record start.</param>
    public static IArchiveDecoder Create(ArchiveFormat format, Stream input, long baseOffset, DecoderWarning warn,
        byte[]? zstdDictionary = null, bool midStream = false) => format switch
    {
        ArchiveFormat.Gzip => new GzipDecoder(input, baseOffset, warn, midStream: midStream),
        ArchiveFormat.Zstd => new ZstdDecoder(input, baseOffset, warn, zstdDictionary, midStream: midStream),
        _ => new PlainDecoder(input, baseOffset),
    };

    /// <summary>
    /// The decoder for a local file read in place through its mapped <paramref name="file"/> windows, from
    /// <paramref name="baseOffset"/> on (see <see cref="Create(ArchiveFormat, Stream, long, DecoderWarning, byte[], bool)"/>).
    /// The decoder owns the windows.
    /// </summary>
    public static IArchiveDecoder Create(ArchiveFormat format, FileWindows file, long baseOffset, DecoderWarning warn,
        byte[]? zstdDictionary = null, bool midStream = false) => format switch
    {
        ArchiveFormat.Gzip => new GzipDecoder(file, baseOffset, warn, midStream),
        ArchiveFormat.Zstd => new ZstdDecoder(file, baseOffset, warn, zstdDictionary, midStream),
        _ => new MappedPlainDecoder(file, baseOffset),
    };
}
