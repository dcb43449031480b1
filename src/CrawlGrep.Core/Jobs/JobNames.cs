using CrawlGrep.Core.Results;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Jobs;

/// <summary>The jobs a result file knows: the rows of its <c>jobs</c> table.</summary>
public static class JobNames
{
    /// <summary>The job names recorded in the result file at <paramref name="dbPath"/>, sorted; none in a file
    /// older than the <c>jobs</c> table.</summary>
    /// <exception cref="ResultStoreException">No such file, or a DuckDB error.</exception>
    public static IReadOnlyList<string> List(string dbPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbPath);
        SqlRunner.RequireFile(dbPath);
        using var connection = ResultStore.Open(dbPath, readOnly: true);
        return List(connection);
    }

    /// <summary>Throws unless <paramref name="job"/> is a job of the result file at <paramref name="dbPath"/>.</summary>
    /// <exception cref="ResultStoreException"><c>no job 'X' in FILE (jobs: a, b)</c>, or no such file.</exception>
    public static void Require(string dbPath, string job)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbPath);
        SqlRunner.RequireFile(dbPath);
        using var connection = ResultStore.Open(dbPath, readOnly: true);
        Require(connection, dbPath, job);
    }

    internal static void Require(DuckDBConnection connection, string dbPath, string job)
    {
        var names = List(connection);
        if (names.Contains(job, StringComparer.Ordinal)) return;
        throw new ResultStoreException(names.Count == 0
            ? $"no job '{job}' in {dbPath} (no jobs recorded there yet)"
            : $"no job '{job}' in {dbPath} (jobs: {string.Join(", ", names)})");
    }

    internal static IReadOnlyList<string> List(DuckDBConnection connection)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            // A file written before research jobs has no jobs table: it has no jobs.
            cmd.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'jobs' AND schema_name = 'main'";
            if (Convert.ToInt64(cmd.ExecuteScalar()) == 0) return [];
            cmd.CommandText = "SELECT job FROM jobs WHERE job IS NOT NULL ORDER BY job";
            using var reader = cmd.ExecuteReader();
            var names = new List<string>();
            while (reader.Read()) names.Add(reader.GetString(0));
            return names;
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
    }
}
