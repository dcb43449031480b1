using System.Text.RegularExpressions;
using CrawlGrep.Core.Results;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// Common Crawl's columnar index (Parquet, one table per crawl under
/// <c>cc-index/table/cc-main/warc/crawl=ID/subset=warc/</c>) queried with DuckDB: a SQL predicate over its columns
/// selects the records a scan reads. The predicate and the kept columns are checked against the index's own schema
/// before a single row is read, so a typo costs a line, not a download.
/// </summary>
public static partial class ColumnarIndex
{
    /// <summary>The table's folder for <paramref name="crawlId"/> under Common Crawl's root (a bucket, a URL or a mirror folder).</summary>
    public static string DefaultLocation(string dataRoot, string crawlId) =>
        CrawlCatalog.Join(dataRoot, $"cc-index/table/cc-main/warc/crawl={crawlId}/subset=warc/");

    /// <summary>The columns a selection needs from every index.</summary>
    public static readonly string[] RecordColumns = ["warc_filename", "warc_record_offset", "warc_record_length"];

    /// <summary>
    /// Runs <paramref name="predicate"/> over the index at <paramref name="location"/> and returns the records it
    /// selects, their files joined onto <paramref name="dataRoot"/> as a crawl scan names them.
    /// </summary>
    /// <param name="location">A .parquet file, a folder (the crawl's table folder, or any folder of .parquet files), or an s3:// or https:// URL of one.</param>
    public static IndexSelection Select(string location, string crawlId, string predicate, IReadOnlyList<string> keep, string dataRoot)
    {
        if (string.IsNullOrWhiteSpace(predicate)) throw new IndexException("--where: the predicate is empty (e.g. --where \"url_host_tld = 'no'\")");
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        string from = Source(db, location, crawlId);

        var columns = Describe(db, from, location);
        var byName = columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (string needed in RecordColumns)
            if (!byName.ContainsKey(needed))
                throw new IndexException($"{location}: not a Common Crawl index: it has no {needed} column (it has: {string.Join(", ", columns.Select(c => c.Name))})");
        var kept = new List<IndexColumn>();
        foreach (string name in keep.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!byName.TryGetValue(name, out var column))
                throw new IndexException($"--keep-index-columns: the index has no column \"{name}\" (it has: {string.Join(", ", columns.Select(c => c.Name))})");
            kept.Add(column);
        }
        // Only this crawl's warc subset, when the files say which (a hive-partitioned copy of several crawls).
        string scope = (byName.ContainsKey("crawl") ? $" AND crawl = '{crawlId.Replace("'", "''")}'" : "")
                     + (byName.ContainsKey("subset") ? " AND subset = 'warc'" : "");
        string select = $"SELECT warc_filename, warc_record_offset, warc_record_length{string.Concat(kept.Select(c => ", " + ResultExporter.QuoteIdentifier(c.Name)))} " +
                        $"FROM {from} WHERE ({predicate}){scope} ORDER BY warc_filename, warc_record_offset";

        var records = new List<SelectedRecord>();
        var values = new List<object?[]>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal); // one string per file, however many records
        using var cmd = db.CreateCommand();
        cmd.CommandText = select;
        System.Data.Common.DbDataReader reader;
        // The statement is bound and planned before a row is read: an unknown column or bad SQL is said here.
        try { reader = cmd.ExecuteReader(); }
        catch (DuckDBException e) { throw new IndexException(Explain(e, predicate, columns)); }
        using (reader)
        {
            try
            {
                while (reader.Read())
                {
                    if (reader.IsDBNull(0) || reader.IsDBNull(1) || reader.IsDBNull(2)) continue; // no record to read
                    string name = reader.GetString(0);
                    if (!files.TryGetValue(name, out string? file)) files[name] = file = CrawlCatalog.Join(dataRoot, name);
                    records.Add(new SelectedRecord(file, Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2))));
                    if (kept.Count == 0) continue;
                    var row = new object?[kept.Count];
                    for (int i = 0; i < kept.Count; i++) row[i] = reader.IsDBNull(3 + i) ? null : reader.GetValue(3 + i);
                    values.Add(row);
                }
            }
            catch (DuckDBException e) { throw new IndexException($"--where: {ResultStoreException.FirstLine(e.Message)}", e); }
        }
        return new IndexSelection(records, kept, values) { Description = $"--where {predicate}" };
    }

    /// <summary>The FROM clause reading the index's Parquet files at <paramref name="location"/>.</summary>
    private static string Source(DuckDBConnection db, string location, string crawlId)
    {
        string glob;
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            LoadHttpfs(db, location);
            glob = location.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? location : location.TrimEnd('/') + "/*.parquet";
        }
        else if (File.Exists(location)) glob = Path.GetFullPath(location);
        else if (Directory.Exists(location))
        {
            // The crawl's own folder, a mirror of the table (crawl=ID/subset=warc below it), or any folder of Parquet files.
            string? table = new[] { Path.Combine(location, $"crawl={crawlId}", "subset=warc"), Path.Combine(location, "cc-index", "table", "cc-main", "warc", $"crawl={crawlId}", "subset=warc") }
                .FirstOrDefault(Directory.Exists);
            string dir = Path.GetFullPath(table ?? location);
            if (!Directory.EnumerateFiles(dir, "*.parquet", SearchOption.AllDirectories).Any())
                throw new IndexException($"no index for {crawlId} at {location}: no .parquet file under it (give the crawl's cc-index/table/cc-main/warc/crawl={crawlId}/subset=warc/ folder with --index)");
            glob = Path.Combine(dir, "**", "*.parquet");
        }
        else throw new IndexException($"no index for {crawlId} at {location}: no such file or folder (give the crawl's cc-index/table/cc-main/warc/crawl={crawlId}/subset=warc/ folder with --index)");
        return $"read_parquet('{glob.Replace("'", "''")}', hive_partitioning = true, union_by_name = true)";
    }

    /// <summary>Remote Parquet needs DuckDB's httpfs extension, which is downloaded on first use: say so when it cannot be.</summary>
    private static void LoadHttpfs(DuckDBConnection db, string location)
    {
        try { Execute(db, "LOAD httpfs"); return; }
        catch (DuckDBException) { }
        try { Execute(db, "INSTALL httpfs; LOAD httpfs"); }
        catch (DuckDBException e)
        {
            throw new IndexException($"{location}: reading a remote index needs DuckDB's httpfs extension, which cannot be loaded here ({ResultStoreException.FirstLine(e.Message)}); " +
                                     "copy the crawl's index folder to this machine and give it with --index FOLDER", e);
        }
    }

    private static List<IndexColumn> Describe(DuckDBConnection db, string from, string location)
    {
        try
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"DESCRIBE SELECT * FROM {from}";
            using var reader = cmd.ExecuteReader();
            var columns = new List<IndexColumn>();
            while (reader.Read()) columns.Add(new IndexColumn(reader.GetString(0), reader.GetString(1), Nullable: true));
            return columns;
        }
        catch (DuckDBException e) { throw new IndexException($"{location}: cannot read the index: {ResultStoreException.FirstLine(e.Message)}", e); }
    }

    /// <summary>DuckDB's complaint about a predicate, as one line that names the culprit.</summary>
    private static string Explain(DuckDBException e, string predicate, IReadOnlyList<IndexColumn> columns)
    {
        string message = ResultStoreException.FirstLine(e.Message);
        if (UnknownColumn().Match(message) is { Success: true } m)
            return $"--where: unknown column \"{m.Groups[1].Value}\" (the index has: {string.Join(", ", columns.Select(c => c.Name))})";
        return $"--where {predicate}: {StripKind().Replace(message, "")}";
    }

    [GeneratedRegex("Referenced column \"([^\"]+)\" not found", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownColumn();

    [GeneratedRegex(@"^[A-Za-z ]*Error: ", RegexOptions.CultureInvariant)]
    private static partial Regex StripKind();

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
