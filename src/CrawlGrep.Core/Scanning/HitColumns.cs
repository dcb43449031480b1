namespace CrawlGrep.Core.Scanning;

/// <summary>Receives the columns of one hit in table order (see <see cref="HitColumns.Write"/>).</summary>
public interface IHitColumnWriter
{
    void String(string name, string? value);
    void Long(string name, long value);
    void Int(string name, int value);
    void Timestamp(string name, DateTime? value);
}

/// <summary>
/// The <c>hits</c> table's columns (DESIGN.md), in order: the one definition that the DuckDB table and its appender,
/// <c>--json</c> and the partial results of remote tasks all follow.
/// </summary>
public static class HitColumns
{
    /// <summary>The scan column, which is not part of a hit: the scan it was recorded in.</summary>
    public const string ScanId = "scan_id";

    /// <summary>Name and DuckDB type of every column, <see cref="ScanId"/> first.</summary>
    public static readonly IReadOnlyList<(string Name, string SqlType)> All =
    [
        (ScanId, "BIGINT"),
        ("crawl", "VARCHAR"),
        ("file", "VARCHAR"),
        ("record_offset", "BIGINT"),
        ("record_length", "BIGINT"),
        ("warc_type", "VARCHAR"),
        ("record_id", "VARCHAR"),
        ("warc_date", "TIMESTAMP"),
        ("target_uri", "VARCHAR"),
        ("host", "VARCHAR"),
        ("content_type", "VARCHAR"),
        ("pattern_index", "INTEGER"),
        ("pattern", "VARCHAR"),
        ("match", "VARCHAR"),
        ("match_offset", "BIGINT"),
        ("context", "VARCHAR"),
    ];

    /// <summary>Writes the hit's columns after <see cref="ScanId"/>, in the order of <see cref="All"/>.</summary>
    public static void Write(Hit h, IHitColumnWriter w)
    {
        WriteRecord(h, w);
        WriteOwn(h, w);
    }

    /// <summary>The first part of <see cref="Write"/>: the columns every hit of a record shares (crawl to content_type).</summary>
    public static void WriteRecord(Hit h, IHitColumnWriter w)
    {
        w.String("crawl", h.Crawl);
        w.String("file", h.File);
        w.Long("record_offset", h.RecordOffset);
        w.Long("record_length", h.RecordLength);
        w.String("warc_type", h.WarcType);
        w.String("record_id", h.RecordId);
        w.Timestamp("warc_date", h.WarcDate);
        w.String("target_uri", h.TargetUri);
        w.String("host", h.Host);
        w.String("content_type", h.ContentType);
    }

    /// <summary>The rest of <see cref="Write"/>: the columns of the hit itself (pattern_index to context).</summary>
    public static void WriteOwn(Hit h, IHitColumnWriter w)
    {
        w.Int("pattern_index", h.PatternIndex);
        w.String("pattern", h.Pattern);
        w.String("match", h.Match);
        w.Long("match_offset", h.MatchOffset);
        w.String("context", h.Context);
    }

    /// <summary>The CREATE TABLE statement of <c>hits</c>.</summary>
    public static string CreateTable() =>
        $"CREATE TABLE IF NOT EXISTS hits (\n    {string.Join(",\n    ", All.Select(c => $"{c.Name} {c.SqlType}"))}\n);";
}
