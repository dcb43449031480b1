using CrawlGrep.Core.Results;
using CrawlGrep.Tests.EndToEnd;
using DuckDB.NET.Data;

namespace CrawlGrep.Tests.Jobs;

/// <summary>
/// A result file with the runs of two jobs, written row by row. Job <c>trackers</c> at version <c>v2</c> has complete
/// runs on CC-MAIN-2024-30 and CC-MAIN-2024-33; its old version v1 has a complete run on CC-MAIN-2024-38 and v2 an
/// incomplete one there, both of which job queries must ignore (each would otherwise be the latest crawl). Job
/// <c>ads</c> has hits of its own on CC-MAIN-2024-33. Job <c>local</c> reads paths (its runs have no crawl, and are
/// labelled by their start time): a first run without hits, then one with 17 hosts, host-01 to host-17, each with as
/// many hits as its number.
/// <code>
/// CC-MAIN-2024-30 (2,000 records scanned)      CC-MAIN-2024-33 (4,000 records scanned)
///   gtag     a.com 2 (one record), b.org 1       gtag      a.com 1, c.net 2 (two records), d.io 4 (one record)
///   fbq      a.com 1 (the gtag record of a.com)  &lt;b&gt;&amp;"x"  c.net 1 (a c.net gtag record)
/// </code>
/// </summary>
public sealed class JobResultsFixture : IDisposable
{
    public const string Job = "trackers";
    public const string Special = "<b>&\"x\"";

    private readonly TempDir _dir = new();

    public string Folder => _dir.Path;

    public string Db => _dir.File("jobs.duckdb");

    public JobResultsFixture()
    {
        new ResultStore(Db).Dispose();
        using var db = ResultStore.Open(Db, readOnly: false);
        Exec(db, """
            INSERT INTO jobs (job, version, content_hash, file, created_at, updated_at) VALUES
                ('trackers', 'v2', 'h2', 'trackers.yaml', TIMESTAMP '2024-07-01 00:00:00', TIMESTAMP '2024-08-01 00:00:00'),
                ('ads', 'v1', 'h1', 'ads.yaml', TIMESTAMP '2024-07-01 00:00:00', TIMESTAMP '2024-07-01 00:00:00'),
                ('local', 'v1', 'h3', 'local.yaml', TIMESTAMP '2024-10-01 00:00:00', TIMESTAMP '2024-10-01 00:00:00');
            INSERT INTO scans (scan_id, started_at, finished_at, status, files, records, hits) VALUES
                (1, TIMESTAMP '2024-07-20 00:00:00', TIMESTAMP '2024-07-20 01:00:00', 'complete', 2, 2000, 4),
                (2, TIMESTAMP '2024-08-20 00:00:00', TIMESTAMP '2024-08-20 01:00:00', 'complete', 2, 4000, 8),
                (3, TIMESTAMP '2024-09-20 00:00:00', TIMESTAMP '2024-09-20 01:00:00', 'complete', 2, 5000, 5),
                (4, TIMESTAMP '2024-09-21 00:00:00', NULL, 'interrupted', 1, 900, 2),
                (5, TIMESTAMP '2024-08-21 00:00:00', TIMESTAMP '2024-08-21 01:00:00', 'complete', 1, 1000, 1),
                (6, TIMESTAMP '2024-10-01 10:00:00', TIMESTAMP '2024-10-01 10:05:00', 'complete', 1, 300, 0),
                (7, TIMESTAMP '2024-10-02 10:00:00', TIMESTAMP '2024-10-02 10:05:00', 'complete', 1, 300, 153);
            INSERT INTO job_runs (run_id, job, version, crawl, scan_id, status, attempts, started_at, finished_at, hits) VALUES
                (1, 'trackers', 'v2', 'CC-MAIN-2024-30', 1, 'complete',   1, TIMESTAMP '2024-07-20 00:00:00', TIMESTAMP '2024-07-20 01:00:00', 4),
                (2, 'trackers', 'v2', 'CC-MAIN-2024-33', 2, 'complete',   1, TIMESTAMP '2024-08-20 00:00:00', TIMESTAMP '2024-08-20 01:00:00', 8),
                (3, 'trackers', 'v1', 'CC-MAIN-2024-38', 3, 'complete',   1, TIMESTAMP '2024-09-20 00:00:00', TIMESTAMP '2024-09-20 01:00:00', 5),
                (4, 'trackers', 'v2', 'CC-MAIN-2024-38', 4, 'incomplete', 2, TIMESTAMP '2024-09-21 00:00:00', NULL, 2),
                (5, 'ads',      'v1', 'CC-MAIN-2024-33', 5, 'complete',   1, TIMESTAMP '2024-08-21 00:00:00', TIMESTAMP '2024-08-21 01:00:00', 1),
                (6, 'local',    'v1', NULL,              6, 'complete',   1, TIMESTAMP '2024-10-01 10:00:00', TIMESTAMP '2024-10-01 10:05:00', 0),
                (7, 'local',    'v1', NULL,              7, 'complete',   1, TIMESTAMP '2024-10-02 10:00:00', TIMESTAMP '2024-10-02 10:05:00', 153);
            """);
        // (scan, crawl, file, record offset, host, pattern index, pattern)
        IEnumerable<(int Scan, string? Crawl, string File, long Offset, string Host, int Index, string Pattern)> hits = new (int, string?, string, long, string, int, string)[]
        {
            (1, "CC-MAIN-2024-30", "f30.warc.gz", 100, "a.com", 0, "gtag"),
            (1, "CC-MAIN-2024-30", "f30.warc.gz", 100, "a.com", 0, "gtag"),
            (1, "CC-MAIN-2024-30", "f30.warc.gz", 100, "a.com", 1, "fbq"),
            (1, "CC-MAIN-2024-30", "f30.warc.gz", 200, "b.org", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 10, "a.com", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 20, "c.net", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 20, "c.net", 2, Special),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 30, "c.net", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 40, "d.io", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 40, "d.io", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 40, "d.io", 0, "gtag"),
            (2, "CC-MAIN-2024-33", "f33.warc.gz", 40, "d.io", 0, "gtag"),
            // Ignored: the old version's run, the incomplete run, the other job.
            (3, "CC-MAIN-2024-38", "f38.warc.gz", 10, "old.example", 0, "gtag"),
            (3, "CC-MAIN-2024-38", "f38.warc.gz", 20, "a.com", 0, "gtag"),
            (3, "CC-MAIN-2024-38", "f38.warc.gz", 30, "old.example", 1, "fbq"),
            (3, "CC-MAIN-2024-38", "f38.warc.gz", 40, "old.example", 3, "v1-only"),
            (3, "CC-MAIN-2024-38", "f38.warc.gz", 50, "d.io", 0, "gtag"),
            (4, "CC-MAIN-2024-38", "f38.warc.gz", 10, "incomplete.example", 0, "gtag"),
            (4, "CC-MAIN-2024-38", "f38.warc.gz", 20, "a.com", 1, "fbq"),
            (5, "CC-MAIN-2024-33", "f33.warc.gz", 20, "c.net", 0, "gtag"),
        }.Concat(
            from n in Enumerable.Range(1, 17)
            from k in Enumerable.Range(0, n)
            select (7, (string?)null, "local.warc.gz", n * 1000L, $"host-{n:00}", 0, "needle"));
        var match = 0L;
        foreach (var h in hits)
        {
            using var cmd = db.CreateCommand();
            // A record row per hit, numbered by the hit's match offset (unique here).
            cmd.CommandText = """
                INSERT INTO hit_records (scan_id, record_no, crawl, file, record_offset, record_length, warc_type, target_uri, host)
                VALUES ($scan, $match, $crawl, $file, $offset, 500, 'response', 'https://' || $host || '/', $host);
                INSERT INTO hit_matches (scan_id, record_no, pattern_index, pattern, match, match_offset, context)
                VALUES ($scan, $match, $index, $pattern, $pattern, $match, 'ctx');
                """;
            cmd.Parameters.Add(new DuckDBParameter("scan", (long)h.Scan));
            cmd.Parameters.Add(new DuckDBParameter("crawl", (object?)h.Crawl ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("file", h.File));
            cmd.Parameters.Add(new DuckDBParameter("offset", h.Offset));
            cmd.Parameters.Add(new DuckDBParameter("host", h.Host));
            cmd.Parameters.Add(new DuckDBParameter("index", h.Index));
            cmd.Parameters.Add(new DuckDBParameter("pattern", h.Pattern));
            cmd.Parameters.Add(new DuckDBParameter("match", match++));
            cmd.ExecuteNonQuery();
        }
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _dir.Dispose();
}
