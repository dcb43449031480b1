namespace CrawlGrep.Core.Compression;

/// <summary>Receives damage found while decoding: the compressed offset and a one-line description.</summary>
public delegate void DecoderWarning(long compressedOffset, string message);
