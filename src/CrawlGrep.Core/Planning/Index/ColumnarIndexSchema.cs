namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// Common Crawl's columnar URL index, <c>s3://commoncrawl/cc-index/table/cc-main/warc/</c>: the flat schema of
/// cc-index-table (<c>cc-index-schema-flat.json</c>) with the types DuckDB reads from its Parquet files, and its
/// hive layout <c>crawl=CC-MAIN-YYYY-WW/subset=warc/part-*.parquet</c>. <c>crawl</c> and <c>subset</c> are
/// partitions: they live in the path, not in the files.
/// </summary>
public static class ColumnarIndexSchema
{
    public const string Varchar = "VARCHAR";
    public const string Integer = "INTEGER";
    public const string SmallInt = "SMALLINT";
    public const string TimestampTz = "TIMESTAMP WITH TIME ZONE";

    /// <summary>Where the table lives under the data root (the bucket, or a local mirror).</summary>
    public const string TablePath = "cc-index/table/cc-main/warc";

    /// <summary>Successful captures: the records of a segment's <c>warc/</c> files.</summary>
    public const string WarcSubset = "warc";
    /// <summary>Redirects, 404s and other unsuccessful captures (<c>crawldiagnostics/</c> files).</summary>
    public const string CrawlDiagnosticsSubset = "crawldiagnostics";
    /// <summary>robots.txt responses (<c>robotstxt/</c> files).</summary>
    public const string RobotsTxtSubset = "robotstxt";

    /// <summary>The columns of each Parquet file, in CC's order.</summary>
    public static readonly IReadOnlyList<IndexColumn> Columns =
    [
        new("url_surtkey", Varchar, false),
        new("url", Varchar, false, "url"),
        new("url_host_name", Varchar, false),
        new("url_host_tld", Varchar, true),
        new("url_host_2nd_last_part", Varchar, true),
        new("url_host_3rd_last_part", Varchar, true),
        new("url_host_4th_last_part", Varchar, true),
        new("url_host_5th_last_part", Varchar, true),
        new("url_host_registry_suffix", Varchar, true),
        new("url_host_registered_domain", Varchar, true),
        new("url_host_private_suffix", Varchar, true),
        new("url_host_private_domain", Varchar, true),
        new("url_host_name_reversed", Varchar, true),
        new("url_protocol", Varchar, false),
        new("url_port", Integer, true),
        new("url_path", Varchar, false),
        new("url_query", Varchar, true),
        new("fetch_time", TimestampTz, false),
        new("fetch_status", SmallInt, false, "status"),
        new("fetch_redirect", Varchar, true, "redirect"),
        new("content_digest", Varchar, true, "digest"),
        new("content_mime_type", Varchar, true, "mime"),
        new("content_mime_detected", Varchar, true, "mime-detected"),
        new("content_charset", Varchar, true, "charset"),
        new("content_languages", Varchar, true, "languages"),
        // CC's schema names "warc-truncated" as its source, but its CDX lines write the key as "truncated".
        new("content_truncated", Varchar, true, "truncated"),
        new("warc_filename", Varchar, false, "filename"),
        new("warc_record_offset", Integer, false, "offset"),
        new("warc_record_length", Integer, false, "length"),
        new("warc_segment", Varchar, false),
    ];

    /// <summary>The hive partitions, in path order: what a reader with <c>hive_partitioning</c> adds as columns.</summary>
    public static readonly IReadOnlyList<IndexColumn> PartitionColumns =
    [
        new("crawl", Varchar, false),
        new("subset", Varchar, false),
    ];

    /// <summary>The folder of one partition, relative to the data root, e.g. <c>cc-index/table/cc-main/warc/crawl=CC-MAIN-2024-22/subset=warc</c>.</summary>
    public static string PartitionPath(string crawl, string subset) => $"{TablePath}/crawl={crawl}/subset={subset}";

    /// <summary>The glob of the Parquet files of a crawl and subset (each may be <c>*</c>), relative to the data root.</summary>
    public static string FilesGlob(string crawl = "*", string subset = "*") => PartitionPath(crawl, subset) + "/*.parquet";

    /// <summary><c>CREATE TABLE</c> of the file columns (not the partitions), with their types and NOT NULLs.</summary>
    public static string CreateTableSql(string table) =>
        $"CREATE TABLE {table} ({string.Join(", ", Columns.Select(c => c.Nullable ? $"{c.Name} {c.DuckDbType}" : $"{c.Name} {c.DuckDbType} NOT NULL"))})";

    /// <summary>The file columns' names, comma-separated, in order.</summary>
    public static string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}
