using CrawlGrep.Core.Planning.Index;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// <c>index_records</c>: the records an index-guided scan selected, with the index columns the user asked to keep
/// (<c>--keep-index-columns</c>), so SQL over hits can group by them with a join on (scan_id, file, record_offset)
/// instead of a second trip to the index.
/// </summary>
public sealed partial class ResultStore
{
    /// <summary>Types kept as the index has them; anything else is kept as its text.</summary>
    private static readonly string[] KeptTypes = ["VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "BOOLEAN", "DOUBLE", "FLOAT", "TIMESTAMP", "DATE"];

    /// <summary>Adds the selection's records to <c>index_records</c> for <paramref name="scanId"/>, adding a column per kept index column the table lacks.</summary>
    public void RecordIndexColumns(long scanId, IndexSelection selection) => Locked(() =>
    {
        using var tx = Connection.BeginTransaction();
        Run(tx, "CREATE TABLE IF NOT EXISTS index_records (scan_id BIGINT NOT NULL, file VARCHAR NOT NULL, record_offset BIGINT NOT NULL, record_length BIGINT NOT NULL)");
        foreach (var c in selection.KeptColumns)
            Run(tx, $"ALTER TABLE index_records ADD COLUMN IF NOT EXISTS {ResultExporter.QuoteIdentifier(c.Name)} {(KeptTypes.Contains(c.DuckDbType, StringComparer.OrdinalIgnoreCase) ? c.DuckDbType : "VARCHAR")}");

        // The table's columns as they are (earlier scans may have kept others, or the same under another type).
        var table = new List<(string Name, string Type)>();
        using (var info = Command("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'index_records' ORDER BY ordinal_position", tx))
        using (var r = info.ExecuteReader())
            while (r.Read()) table.Add((r.GetString(0), r.GetString(1)));
        var source = table.Skip(4).Select(t => selection.KeptColumns.ToList().FindIndex(k => string.Equals(k.Name, t.Name, StringComparison.OrdinalIgnoreCase))).ToArray();

        using (var appender = Connection.CreateAppender("index_records"))
        {
            for (int i = 0; i < selection.Records.Count; i++)
            {
                var rec = selection.Records[i];
                var row = appender.CreateRow().AppendValue(scanId).AppendValue(rec.File).AppendValue(rec.Offset).AppendValue(rec.Length);
                for (int c = 0; c < source.Length; c++)
                {
                    object? value = source[c] < 0 || selection.KeptValues.Count <= i ? null : selection.KeptValues[i][source[c]];
                    row = Append(row, value, table[4 + c].Type);
                }
                row.EndRow();
            }
        }
        tx.Commit();
        return 0;
    });

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, object? value, string type)
    {
        if (value is null) return row.AppendNullValue();
        if (type.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase)) return row.AppendValue(Text(value));
        return value switch
        {
            string s => row.AppendValue(s),
            bool b => row.AppendValue(b),
            sbyte v => row.AppendValue(v),
            short v => row.AppendValue(v),
            int v => row.AppendValue(v),
            long v => row.AppendValue(v),
            float v => row.AppendValue(v),
            double v => row.AppendValue(v),
            DateTime v => row.AppendValue(v),
            DateOnly v => row.AppendValue(v),
            _ => row.AppendValue(Text(value)),
        };
    }

    /// <summary>A value kept as text: times in ISO 8601, numbers without the culture's separators.</summary>
    private static string? Text(object value) => value switch
    {
        DateTime t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private void Run(DuckDBTransaction tx, string sql)
    {
        using var cmd = Command(sql, tx);
        cmd.ExecuteNonQuery();
    }
}
