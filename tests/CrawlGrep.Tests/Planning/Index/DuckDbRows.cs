using DuckDB.NET.Data;

namespace CrawlGrep.Tests.Planning.Index;

/// <summary>Runs a query on an in-memory DuckDB (read_parquet and friends) and returns its rows by column name.</summary>
internal static class DuckDbRows
{
    public static List<Dictionary<string, object?>> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>The columns of a query's result, with DuckDB's type names.</summary>
    public static List<(string Name, string Type)> Describe(string sql) =>
        Query("DESCRIBE " + sql).Select(r => ((string)r["column_name"]!, (string)r["column_type"]!)).ToList();
}
