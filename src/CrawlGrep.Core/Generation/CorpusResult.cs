using CrawlGrep.Core.Planning.Index;

namespace CrawlGrep.Core.Generation;

/// <summary>What a <see cref="CorpusGenerator"/> run wrote.</summary>
/// <param name="Files">The files, in the order WARC, WET, WAT (those requested).</param>
/// <param name="Pages">Pages generated (one request, response and metadata record each in the WARC).</param>
/// <param name="HtmlPages">Pages that are HTML with status 200 (one WET conversion record each).</param>
/// <param name="WarcUncompressedBytes">Uncompressed size of the WARC, whether or not it was written.</param>
/// <param name="PlantedCounts">Occurrences of each planted token in the WARC's response payloads, keyed by
/// <see cref="PlantedTokens.Keys"/>; the WET text holds the same occurrences.</param>
public sealed record CorpusResult(
    IReadOnlyList<GeneratedFile> Files,
    int Pages,
    int HtmlPages,
    long WarcUncompressedBytes,
    IReadOnlyDictionary<string, long> PlantedCounts)
{
    /// <summary>
    /// The WARC's response records (one per page) as Common Crawl's CDX index lists them, in file order, their
    /// <c>filename</c> the WARC's name; empty unless <see cref="CorpusOptions.Captures"/> and a WARC was written.
    /// <see cref="CorpusIndexWriter"/> writes them.
    /// </summary>
    public IReadOnlyList<CdxRecord> Captures { get; init; } = [];
}
