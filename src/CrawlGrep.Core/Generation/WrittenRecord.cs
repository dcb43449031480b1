namespace CrawlGrep.Core.Generation;

/// <summary>Where one record landed in the output of a <see cref="WarcRecordWriter"/>.</summary>
/// <param name="Offset">Byte offset of the record's gzip member, zstd frame or plain bytes in the output
/// (Common Crawl's <c>warc_record_offset</c>). For <see cref="WarcCompression.GzipWhole"/> this is 0: the whole file is one member.</param>
/// <param name="Length">Compressed length in the output (CC's <c>warc_record_length</c>);
/// -1 for <see cref="WarcCompression.GzipWhole"/>, where a record has no compressed range of its own.</param>
/// <param name="UncompressedOffset">Offset of the record's first byte (<c>WARC/1.0</c>) in the uncompressed WARC stream.</param>
/// <param name="UncompressedLength">Uncompressed length: header, block and the trailing CRLFCRLF.</param>
/// <param name="HeaderLength">Length of the WARC header including the blank line that ends it.</param>
/// <param name="BlockLength">Length of the block (the Content-Length value).</param>
/// <param name="GzipCrc32">CRC-32 of the uncompressed record from the member's trailer, for <see cref="WarcCompression.Gzip"/>; otherwise 0.</param>
public readonly record struct WrittenRecord(
    long Offset,
    long Length,
    long UncompressedOffset,
    long UncompressedLength,
    int HeaderLength,
    long BlockLength,
    uint GzipCrc32);
