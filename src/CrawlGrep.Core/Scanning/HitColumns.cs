namespace CrawlGrep.Core.Scanning;

/// <summary>Receives the columns of one hit in table order (see <see cref="HitColumns.Write"/>).</summary>
public interface IHitColumnWriter
{
    void String(string name, string? value);
    /// <summary>A text column given as valid UTF-8.</summary>
    void Utf8(string name, ReadOnlySpan<byte> value);
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

    /// <summary>The line around a match.</summary>
    public const string Context = "context";

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
        (Context, "VARCHAR"),
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
        w.Utf8("match", h.MatchUtf8.Span);
        w.Long("match_offset", h.MatchOffset);
        w.Utf8(Context, h.ContextUtf8.Span);
    }

    /// <summary>The columns every hit of a record shares, as stored once per record in <c>hit_records</c>.</summary>
    public static IEnumerable<(string Name, string SqlType)> RecordColumns => All.Skip(1).Take(10);

    /// <summary>The columns of a hit itself, as stored in <c>hit_matches</c>.</summary>
    public static IEnumerable<(string Name, string SqlType)> OwnColumns => All.Skip(11);

    /// <summary>
    /// The tables that hold hits, and the <c>hits</c> view over them. A record's columns are stored once in
    /// <c>hit_records</c>, not once per hit: a broad pattern finds dozens of hits per record, and storing (compressing,
    /// hashing, keeping statistics of) its file, URI, id and type for each of them was most of a commit's work.
    /// <c>record_no</c> ties a match to its record; <c>hits</c> joins them back into the columns of <see cref="All"/>.
    /// </summary>
    /// <param name="zstdContexts">
    /// The file's storage format has DuckDB's zstd compression for text (1.2 or newer): the contexts use it. They are
    /// most of a broad scan's bytes, nearly all distinct, and zstd stores them in 40% of the space FSST and
    /// dictionaries take, with a third less of the commit's work. In an older file zstd would mean no compression.
    /// </param>
    public static string CreateTables(bool zstdContexts) => $"""
        CREATE TABLE IF NOT EXISTS hit_records (
            {ScanId} BIGINT,
            record_no BIGINT,
            {string.Join(",\n    ", RecordColumns.Select(c => $"{c.Name} {c.SqlType}"))}
        );
        CREATE TABLE IF NOT EXISTS hit_matches (
            {ScanId} BIGINT,
            record_no BIGINT,
            {string.Join(",\n    ", OwnColumns.Select(c => $"{c.Name} {c.SqlType}{(zstdContexts && c.Name == Context ? " USING COMPRESSION zstd" : "")}"))}
        );
        CREATE OR REPLACE VIEW hits AS
            SELECT m.{ScanId}, {string.Join(", ", RecordColumns.Select(c => "r." + c.Name))},
                   {string.Join(", ", OwnColumns.Select(c => "m." + c.Name))}
            FROM hit_matches m JOIN hit_records r ON r.{ScanId} = m.{ScanId} AND r.record_no = m.record_no;
        """;

    /// <summary>
    /// Moves the hits of a file written before <see cref="CreateTables"/> (one <c>hits</c> table, every column per
    /// hit) into the two tables, a record row per old hit row, and drops the old table.
    /// </summary>
    public static string MigrateTable(bool zstdContexts) => $"""
        ALTER TABLE hits RENAME TO hits_before_records;
        {CreateTables(zstdContexts)}
        CREATE TEMP TABLE hits_numbered AS SELECT *, row_number() OVER () AS record_no FROM hits_before_records;
        INSERT INTO hit_records SELECT {ScanId}, record_no, {string.Join(", ", RecordColumns.Select(c => c.Name))} FROM hits_numbered;
        INSERT INTO hit_matches SELECT {ScanId}, record_no, {string.Join(", ", OwnColumns.Select(c => c.Name))} FROM hits_numbered;
        DROP TABLE hits_numbered;
        DROP TABLE hits_before_records;
        """;
}
