namespace CrawlGrep.Core.Compression;

/// <summary>
/// Decoder stage: compressed bytes in, decoded WARC bytes out, each step tagged with the compressed
/// unit it came from so records can be given their exact compressed offset and length.
/// </summary>
public interface IArchiveDecoder : IDisposable
{
    ArchiveFormat Format { get; }

    /// <summary>True when decoded positions are file positions (plain WARC): no units to track.</summary>
    bool IsIdentity { get; }

    /// <summary>Compressed bytes consumed so far.</summary>
    long CompressedBytesRead { get; }

    /// <summary>
    /// Decodes into <paramref name="dest"/>. A step never mixes bytes of two units. Returns a step with
    /// zero bytes when a unit ends exactly at a buffer boundary, at a gap, or at the end of input.
    /// </summary>
    DecodeStep Read(Span<byte> dest);
}
