using System.Globalization;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>Writes the <c>hits</c> table (all of it, or one scan's) to Parquet or CSV through DuckDB's COPY.</summary>
public static class ResultExporter
{
    public static readonly IReadOnlyList<string> Formats = ["parquet", "csv"];

    internal const string HitColumns =
        "scan_id, crawl, file, record_offset, record_length, warc_type, record_id, warc_date, target_uri, host, " +
        "content_type, pattern_index, pattern, match, match_offset, context";

    /// <summary>Exports hits; returns the number of rows written.</summary>
    /// <param name="format"><c>parquet</c> or <c>csv</c> (CSV gets a header row).</param>
    /// <param name="scanId">Only this scan's hits when set.</param>
    /// <exception cref="ResultStoreException">Missing database, unknown format, or a DuckDB error.</exception>
    public static long Export(string dbPath, string format, string outFile, long? scanId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbPath);
        ArgumentException.ThrowIfNullOrEmpty(outFile);
        var fmt = (format ?? "").Trim().ToLowerInvariant();
        var options = fmt switch
        {
            "parquet" => "FORMAT parquet",
            "csv" => "FORMAT csv, HEADER",
            _ => throw new ResultStoreException($"unknown export format '{format}' (use parquet or csv)"),
        };
        SqlRunner.RequireFile(dbPath);

        var where = scanId is { } id ? $" WHERE scan_id = {id.ToString(CultureInfo.InvariantCulture)}" : "";
        var sql = $"COPY (SELECT {HitColumns} FROM hits{where} " +
                  "ORDER BY scan_id, file, record_offset, match_offset, pattern_index) " +
                  $"TO {QuoteLiteral(outFile)} ({options})";

        using var connection = ResultStore.Open(dbPath, readOnly: true);
        try
        {
            if (scanId is { } wanted)
            {
                // A scan that is not in the file would export as an empty file, as if it had found nothing.
                using var known = connection.CreateCommand();
                known.CommandText = $"SELECT count(*) FROM scans WHERE scan_id = {wanted.ToString(CultureInfo.InvariantCulture)}";
                if (Convert.ToInt64(known.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                    throw new ResultStoreException($"{dbPath}: no scan {wanted}");
            }
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
    }

    /// <summary>A SQL identifier (a column name): double quotes doubled.</summary>
    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>A SQL string literal: single quotes doubled; control characters refused.</summary>
    internal static string QuoteLiteral(string value)
    {
        if (value.Any(char.IsControl))
            throw new ResultStoreException("file name contains control characters");
        return "'" + value.Replace("'", "''") + "'";
    }
}
