namespace CrawlGrep.Core.Generation;

/// <summary>The index files <see cref="CorpusIndexWriter"/> wrote.</summary>
/// <param name="Parquet">The columnar index's one Parquet file.</param>
/// <param name="Cdx">The CDX index's one shard, <c>cdx-00000.gz</c>.</param>
/// <param name="ClusterIndex">The shard's <c>cluster.idx</c>: the first key and byte range of each block.</param>
/// <param name="Records">Captures indexed: one per response record of the WARC.</param>
public sealed record CorpusIndex(string Parquet, string Cdx, string ClusterIndex, int Records);
