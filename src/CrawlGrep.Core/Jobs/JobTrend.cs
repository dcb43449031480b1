using CrawlGrep.Core.Results;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Jobs;

/// <summary>
/// How a research job's answer moves across crawls: per crawl (oldest first) its hits, per pattern and in total, the
/// records and hosts behind them, and the top hosts of the latest crawl beside their count in the crawl before. Read
/// from the complete runs of the job's current version (<c>job_runs</c>, <c>job_hits</c>, <c>scans</c>).
/// </summary>
/// <param name="Job">The job's name.</param>
/// <param name="Crawls">The crawls with a complete run, oldest first (crawl ids sort by time); empty when none.</param>
/// <param name="Patterns">Every pattern with hits in any of them, in the job's pattern order.</param>
/// <param name="TopHosts">The <see cref="TopHostCount"/> hosts with most hits in the latest crawl, most first.</param>
public sealed record JobTrend(
    string Job,
    IReadOnlyList<JobTrendCrawl> Crawls,
    IReadOnlyList<string> Patterns,
    IReadOnlyList<JobTrendHost> TopHosts)
{
    /// <summary>How many hosts of the latest crawl <see cref="TopHosts"/> holds at most.</summary>
    public const int TopHostCount = 15;

    /// <summary>The latest crawl, or null when the job has no complete run.</summary>
    public JobTrendCrawl? Latest => Crawls.Count > 0 ? Crawls[^1] : null;

    /// <summary>The crawl before the latest, or null.</summary>
    public JobTrendCrawl? Previous => Crawls.Count > 1 ? Crawls[^2] : null;

    /// <summary>Reads the trend of <paramref name="job"/> from the result file at <paramref name="dbPath"/>.</summary>
    /// <exception cref="ResultStoreException">The file is missing, the job is not in it, or a DuckDB error.</exception>
    public static JobTrend Read(string dbPath, string job)
    {
        ArgumentException.ThrowIfNullOrEmpty(dbPath);
        ArgumentException.ThrowIfNullOrEmpty(job);
        SqlRunner.RequireFile(dbPath);
        using var connection = ResultStore.Open(dbPath, readOnly: true);
        JobNames.Require(connection, dbPath, job);
        try
        {
            return Read(connection, job);
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
    }

    // The complete runs of the job's current version, labelled as job_hits labels them.
    private const string Runs = """
        runs AS (
            SELECT r.run_id, r.scan_id, coalesce(r.crawl, strftime(r.started_at, '%Y-%m-%dT%H:%M')) AS run_crawl
            FROM job_runs r
            JOIN jobs j ON j.job = r.job AND j.version = r.version
            WHERE r.job = $job AND r.status = 'complete'
        )
        """;

    private static JobTrend Read(DuckDBConnection connection, string job)
    {
        var crawls = new List<(string Crawl, long RunId, long? Scanned)>();
        foreach (var row in Query(connection, job, $"""
                     WITH {Runs}
                     SELECT r.run_crawl, max(r.run_id), sum(s.records)::BIGINT
                     FROM runs r LEFT JOIN scans s ON s.scan_id = r.scan_id
                     GROUP BY r.run_crawl
                     ORDER BY r.run_crawl
                     """))
            crawls.Add(((string)row[0]!, (long)row[1]!, row[2] as long?));

        var totals = new Dictionary<string, (long Hits, long Records, long Hosts)>(StringComparer.Ordinal);
        foreach (var row in Query(connection, job, """
                     SELECT run_crawl, count(*), count(DISTINCT (file, record_offset)), count(DISTINCT host)
                     FROM job_hits WHERE job = $job
                     GROUP BY run_crawl
                     """))
            totals[(string)row[0]!] = ((long)row[1]!, (long)row[2]!, (long)row[3]!);

        var perPattern = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var row in Query(connection, job, """
                     SELECT run_crawl, pattern, count(*)
                     FROM job_hits WHERE job = $job AND pattern IS NOT NULL
                     GROUP BY run_crawl, pattern
                     """))
        {
            var crawl = (string)row[0]!;
            if (!perPattern.TryGetValue(crawl, out var counts)) perPattern[crawl] = counts = new(StringComparer.Ordinal);
            counts[(string)row[1]!] = (long)row[2]!;
        }

        var patterns = Query(connection, job, """
                SELECT pattern FROM job_hits WHERE job = $job AND pattern IS NOT NULL
                GROUP BY pattern
                ORDER BY min(pattern_index), pattern
                """).Select(r => (string)r[0]!).ToList();

        var trendCrawls = crawls.Select(c =>
        {
            var (hits, records, hosts) = totals.GetValueOrDefault(c.Crawl);
            var counts = perPattern.GetValueOrDefault(c.Crawl) ?? new Dictionary<string, long>(StringComparer.Ordinal);
            return new JobTrendCrawl(c.Crawl, c.RunId, hits, records, hosts, c.Scanned, counts);
        }).ToList();

        var hosts = new List<JobTrendHost>();
        if (trendCrawls.Count > 0)
        {
            var latest = trendCrawls[^1].Crawl;
            var previous = trendCrawls.Count > 1 ? trendCrawls[^2].Crawl : null;
            foreach (var row in Query(connection, job, $"""
                         WITH top AS (
                             SELECT host, count(*) AS hits
                             FROM job_hits
                             WHERE job = $job AND run_crawl = $latest AND host IS NOT NULL
                             GROUP BY host
                             ORDER BY hits DESC, host
                             LIMIT {TopHostCount}
                         ),
                         before AS (
                             SELECT host, count(*) AS hits
                             FROM job_hits
                             WHERE job = $job AND run_crawl = $previous AND host IN (SELECT host FROM top)
                             GROUP BY host
                         )
                         SELECT t.host, t.hits, b.hits
                         FROM top t LEFT JOIN before b USING (host)
                         ORDER BY t.hits DESC, t.host
                         """, ("latest", latest), ("previous", previous)))
                hosts.Add(new JobTrendHost((string)row[0]!, (long)row[1]!, row[2] as long?));
        }
        return new JobTrend(job, trendCrawls, patterns, hosts);
    }

    private static List<object?[]> Query(DuckDBConnection connection, string job, string sql, params (string Name, object? Value)[] more)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.Add(new DuckDBParameter("job", job));
        foreach (var (name, value) in more) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
