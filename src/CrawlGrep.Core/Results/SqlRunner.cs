using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>Runs SQL against a result file.</summary>
public static class SqlRunner
{
    /// <summary>
    /// Runs <paramref name="sql"/> (one or more statements; the last one's result is returned) on the
    /// result file at <paramref name="dbPath"/>, which must exist. <paramref name="parameters"/> are bound as
    /// DuckDB prepared parameters: a name <c>job</c> is <c>$job</c> in the SQL (null binds SQL NULL).
    /// </summary>
    /// <exception cref="ResultStoreException">A missing file, or any DuckDB error, as one line.</exception>
    public static SqlResult Run(string dbPath, string sql, bool readOnly = false, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbPath);
        if (string.IsNullOrWhiteSpace(sql)) throw new ResultStoreException("empty SQL statement");
        RequireFile(dbPath);
        using var connection = ResultStore.Open(dbPath, readOnly && dbPath != InMemory);
        return Run(connection, sql, parameters);
    }

    internal static SqlResult Run(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            if (parameters is not null)
                foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
            try { return ReadAll(cmd); }
            catch (ArgumentException e)
            {
                // A column of a type DuckDB.NET cannot read (a UNION): DuckDB ran the query, the value has no .NET form.
                throw new ResultStoreException($"cannot read the result: {ResultStoreException.FirstLine(e.Message)} (cast it in the query, e.g. to VARCHAR)", e);
            }
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
    }

    /// <summary>Runs the command and reads its last statement's columns and rows.</summary>
    private static SqlResult ReadAll(DuckDBCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var columns = new string[reader.FieldCount];
        var types = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
            types[i] = reader.GetDataTypeName(i);
        }
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return new SqlResult(columns, types, rows);
    }

    /// <summary>No file: a database in memory, for SQL over files such as an index's Parquet (<c>crawlgrep sql --db :memory:</c>).</summary>
    public const string InMemory = ":memory:";

    /// <summary>Throws unless a result file exists at <paramref name="dbPath"/> (DuckDB would silently create one).</summary>
    public static void RequireFile(string dbPath)
    {
        if (dbPath != InMemory && !File.Exists(dbPath))
            throw new ResultStoreException($"no result database at '{dbPath}' (run a scan first, or pass --db FILE)");
    }
}
