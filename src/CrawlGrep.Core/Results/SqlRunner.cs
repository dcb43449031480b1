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
            catch (Exception e) when (e is ArgumentException or InvalidCastException or NotSupportedException)
            {
                // A value DuckDB.NET cannot give as .NET (a UNION, a list of lists holding NULL, an interval of months,
                // in the native build a map of a value type it has no code for): DuckDB ran the query, and can turn
                // the value into text itself.
                string what = e is NotSupportedException ? "a value of a type this build has no code for" : ResultStoreException.FirstLine(e.Message);
                throw new ResultStoreException($"cannot read the result: {what} (cast it in the query, e.g. to VARCHAR)", e);
            }
        }
        catch (DuckDBException e) when (e.Message == NoMessage)
        {
            // DuckDB.NET's exception when DuckDB found no statement in the text, which comes without a message.
            throw new ResultStoreException("no SQL statement to run (only comments or ';')", e);
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
    }

    /// <summary>The message of an exception made without one (a DuckDBException is an ExternalException).</summary>
    private static readonly string NoMessage = new System.Runtime.InteropServices.ExternalException().Message;

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
                row[i] = reader.IsDBNull(i) ? null : Value(reader, i);
            rows.Add(row);
        }
        return new SqlResult(columns, types, rows);
    }

    /// <summary>
    /// A column's value. DuckDB.NET gives a list of a value type as a list of that type, and fails on a NULL in it
    /// (<c>list(warc_date)</c> over hits without a date): such a list is read again with nullable elements.
    /// </summary>
    /// <remarks>A BLOB comes as a stream over the reader's current chunk: it is copied out before the next chunk replaces it.</remarks>
    private static object Value(DuckDBDataReader reader, int i)
    {
        object value;
        try { value = reader.GetValue(i); }
        catch (InvalidCastException) when (ListWithNulls(reader, i) is { } list) { value = list; }
        return value switch
        {
            Stream blob => Bytes(blob),
            System.Collections.IList list when list.Cast<object?>().Any(b => b is Stream) => list.Cast<Stream?>().Select(b => b is null ? null : Bytes(b)).ToList(),
            _ => value,
        };
    }

    /// <summary>
    /// Made once so the native build has their code: DuckDB.NET makes these lists by reflection, which finds a value
    /// type's list constructor only if something compiled it.
    /// </summary>
    private static readonly object[] ListsMadeByReflection =
    [
        new List<DateOnly>(), new List<TimeOnly>(), new List<Guid>(), new List<System.Numerics.BigInteger>(),
        new List<int?>(), new List<long?>(), new List<short?>(), new List<sbyte?>(), new List<byte?>(), new List<ushort?>(),
        new List<uint?>(), new List<ulong?>(), new List<float?>(), new List<double?>(), new List<decimal?>(), new List<bool?>(),
        new List<DateTime?>(), new List<DateOnly?>(), new List<TimeOnly?>(), new List<Guid?>(), new List<System.Numerics.BigInteger?>(), new List<TimeSpan?>(),
    ];

    private static byte[] Bytes(Stream blob)
    {
        using var copy = new MemoryStream();
        blob.CopyTo(copy);
        return copy.ToArray();
    }

    private static object? ListWithNulls(DuckDBDataReader reader, int i)
    {
        var type = reader.GetFieldType(i);
        if (type == typeof(List<int>)) return reader.GetFieldValue<List<int?>>(i);
        if (type == typeof(List<long>)) return reader.GetFieldValue<List<long?>>(i);
        if (type == typeof(List<short>)) return reader.GetFieldValue<List<short?>>(i);
        if (type == typeof(List<sbyte>)) return reader.GetFieldValue<List<sbyte?>>(i);
        if (type == typeof(List<byte>)) return reader.GetFieldValue<List<byte?>>(i);
        if (type == typeof(List<ushort>)) return reader.GetFieldValue<List<ushort?>>(i);
        if (type == typeof(List<uint>)) return reader.GetFieldValue<List<uint?>>(i);
        if (type == typeof(List<ulong>)) return reader.GetFieldValue<List<ulong?>>(i);
        if (type == typeof(List<float>)) return reader.GetFieldValue<List<float?>>(i);
        if (type == typeof(List<double>)) return reader.GetFieldValue<List<double?>>(i);
        if (type == typeof(List<decimal>)) return reader.GetFieldValue<List<decimal?>>(i);
        if (type == typeof(List<bool>)) return reader.GetFieldValue<List<bool?>>(i);
        if (type == typeof(List<DateTime>)) return reader.GetFieldValue<List<DateTime?>>(i);
        if (type == typeof(List<DateOnly>)) return reader.GetFieldValue<List<DateOnly?>>(i);
        if (type == typeof(List<TimeOnly>)) return reader.GetFieldValue<List<TimeOnly?>>(i);
        if (type == typeof(List<Guid>)) return reader.GetFieldValue<List<Guid?>>(i);
        if (type == typeof(List<System.Numerics.BigInteger>)) return reader.GetFieldValue<List<System.Numerics.BigInteger?>>(i);
        if (type == typeof(List<TimeSpan>)) return reader.GetFieldValue<List<TimeSpan?>>(i);
        return null; // nested deeper, or not a list: the one-line error says to cast it
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
