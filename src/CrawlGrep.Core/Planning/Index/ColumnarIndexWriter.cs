using System.Text.RegularExpressions;
using CrawlGrep.Core.Results;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// Writes CDX records as a Parquet file of CC's columnar index (<see cref="ColumnarIndexSchema"/>), each row
/// derived from its record as cc-index-table's CCIndex2Table derives it, sorted by <c>url_surtkey</c> as CC sorts
/// its partitions, gzip-compressed as CC's files are. Through DuckDB: a table of the schema's types, filled by
/// its appender, then <c>COPY … TO … (FORMAT parquet)</c>. The same records give the same bytes.
/// </summary>
public static partial class ColumnarIndexWriter
{
    /// <summary>Writes <paramref name="records"/> to <paramref name="parquetPath"/>; returns the rows written.</summary>
    /// <param name="segment">The <c>warc_segment</c> of records whose file name does not name one
    /// (<c>crawl-data/{crawl}/segments/{segment}/…</c>).</param>
    /// <exception cref="ArgumentException">A record has no timestamp, an offset or length beyond CC's 32-bit columns,
    /// or no segment.</exception>
    /// <exception cref="FormatException">A record's URL has no <c>scheme://host</c>.</exception>
    /// <exception cref="IOException">DuckDB could not write the file.</exception>
    public static int Write(IEnumerable<CdxRecord> records, string parquetPath, string? segment = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(parquetPath);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, "SET threads = 1"); // one writing thread: row groups, and so bytes, do not depend on timing
        Execute(connection, ColumnarIndexSchema.CreateTableSql("captures"));
        int rows = 0;
        using (var appender = connection.CreateAppender("captures"))
        {
            foreach (var record in records)
            {
                AppendRow(appender, record, segment);
                rows++;
            }
        }
        try
        {
            Execute(connection, $"COPY (SELECT * FROM captures ORDER BY url_surtkey, fetch_time, warc_record_offset) " +
                                $"TO {ResultExporter.QuoteLiteral(parquetPath)} (FORMAT parquet, COMPRESSION gzip)");
        }
        catch (DuckDBException e)
        {
            throw new IOException($"cannot write {parquetPath}: {ResultStoreException.FirstLine(e.Message)}", e);
        }
        return rows;
    }

    private static void AppendRow(DuckDBAppender appender, CdxRecord r, string? segment)
    {
        var url = IndexUrl.Parse(r.Url);
        var fetchTime = r.FetchTime ?? throw new ArgumentException($"{r.Url}: the record has no timestamp");
        string warcSegment = SegmentOf(r.Filename) ?? segment ?? throw new ArgumentException($"{r.Filename}: no segment in the file name, and none given");
        appender.CreateRow()
            .AppendValue(r.UrlKey ?? SurtKey.Of(r.Url))
            .AppendValue(r.Url)
            .AppendValue(url.HostName)
            .AppendValue(url.Label(0))
            .AppendValue(url.Label(1))
            .AppendValue(url.Label(2))
            .AppendValue(url.Label(3))
            .AppendValue(url.Label(4))
            .AppendValue(url.RegistrySuffix)
            .AppendValue(url.RegisteredDomain)
            .AppendValue(url.PrivateSuffix)
            .AppendValue(url.PrivateDomain)
            .AppendValue(url.HostNameReversed)
            .AppendValue(url.Protocol)
            .AppendValue(url.Port)
            .AppendValue(url.Path)
            .AppendValue(url.Query)
            .AppendValue(new DateTimeOffset(fetchTime))
            .AppendValue((short)(r.Status ?? -1)) // CC writes -1 for a capture without a status
            .AppendValue(r.Redirect)
            .AppendValue(r.Digest)
            .AppendValue(r.Mime)
            .AppendValue(r.MimeDetected)
            .AppendValue(r.Charset)
            .AppendValue(r.Languages)
            .AppendValue(r.Truncated)
            .AppendValue(r.Filename)
            .AppendValue(Int32(r.Offset, "offset", r))
            .AppendValue(Int32(r.Length, "length", r))
            .AppendValue(warcSegment)
            .EndRow();
    }

    /// <summary>The segment of a file named as CC names them (<c>crawl-data/{crawl}/segments/{segment}/{subset}/…</c>), else null.</summary>
    public static string? SegmentOf(string filename) => CcFilename().Match(filename) is { Success: true } m ? m.Groups[1].Value : null;

    private static int Int32(long value, string what, CdxRecord r) =>
        value <= int.MaxValue ? (int)value : throw new ArgumentException($"{r.Filename}: {what} {value} does not fit CC's 32-bit column");

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>cc-index-table's CCWarcFilenameParser: crawl, segment and subset from the path of a crawl's file.</summary>
    [GeneratedRegex(@"^(?:common-crawl/)?crawl-data/[^/]+/segments/([^/]+)/(?:crawldiagnostics|robotstxt|warc|wat|wet)/")]
    private static partial Regex CcFilename();
}
