namespace CrawlGrep.Core.Generation;

/// <summary>One file written by <see cref="CorpusGenerator"/>.</summary>
/// <param name="Kind">WARC, WET or WAT.</param>
/// <param name="Name">Common Crawl style file name, e.g. <c>CC-MAIN-20240517233122-20240518023122-00000.warc.gz</c>.</param>
/// <param name="Path">Full path when written to a directory, else null.</param>
/// <param name="Bytes">Bytes written (compressed size).</param>
/// <param name="UncompressedBytes">Size of the WARC stream before compression.</param>
/// <param name="Records">Records written, the warcinfo record included.</param>
/// <param name="Index">Where each record landed, in file order: what a reader of the file must find.</param>
public sealed record GeneratedFile(CorpusKinds Kind, string Name, string? Path, long Bytes, long UncompressedBytes, int Records,
    IReadOnlyList<WrittenRecord> Index);
