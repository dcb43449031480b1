namespace CrawlGrep.Core.Planning.Index;

/// <summary>One column of Common Crawl's columnar index.</summary>
/// <param name="Name">Column name, e.g. <c>warc_record_offset</c>.</param>
/// <param name="DuckDbType">The type DuckDB reads from CC's Parquet files: <c>VARCHAR</c>, <c>INTEGER</c> (Spark's
/// <c>integer</c>, int32), <c>SMALLINT</c> (<c>short</c>) or <c>TIMESTAMP WITH TIME ZONE</c> (int64 millis, UTC-adjusted).</param>
/// <param name="Nullable">False for the columns every row has (<c>"nullable": false</c> in CC's schema).</param>
/// <param name="CdxKey">The key of CC's CDX JSON the column is copied from (<c>fromCDX</c> in CC's schema); null for
/// the columns derived from the URL, the SURT key, the timestamp or the file's path.</param>
public sealed record IndexColumn(string Name, string DuckDbType, bool Nullable, string? CdxKey = null);
