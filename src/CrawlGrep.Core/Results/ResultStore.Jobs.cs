using CrawlGrep.Core.Jobs;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>The research job tables: <c>jobs</c> (a job at its current version) and <c>job_runs</c> (each run of a version, on one crawl).</summary>
public sealed partial class ResultStore
{
    /// <summary>The job called <paramref name="job"/>, or null.</summary>
    public JobRecord? LoadJob(string job) => Locked(() =>
    {
        using var cmd = Command("SELECT job, version, content_hash, file, since_crawl, schedule, created_at, updated_at, schedule_checked_at FROM jobs WHERE job = $job",
            null, ("job", job));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadJob(r) : null;
    });

    /// <summary>Every job in the file, by name.</summary>
    public IReadOnlyList<JobRecord> Jobs() => Locked(() =>
    {
        using var cmd = Command("SELECT job, version, content_hash, file, since_crawl, schedule, created_at, updated_at, schedule_checked_at FROM jobs ORDER BY job", null);
        using var r = cmd.ExecuteReader();
        var jobs = new List<JobRecord>();
        while (r.Read()) jobs.Add(ReadJob(r));
        return jobs;
    });

    /// <summary>
    /// Records a job at the version its file has now. A new job's schedule starts at <paramref name="now"/> (its first
    /// due time is the next one after), and <paramref name="sinceCrawl"/> is kept as its first crawl; a known job keeps
    /// both, unless the file now names a first crawl of its own.
    /// </summary>
    public JobRecord SaveJob(JobDefinition job, string? sinceCrawl, bool sinceFromFile, DateTime now) => Locked(() =>
    {
        using var tx = Connection.BeginTransaction();
        using (var cmd = Command("""
            INSERT INTO jobs (job, version, content_hash, file, definition, since_crawl, schedule, created_at, updated_at, schedule_checked_at)
            VALUES ($job, $version, $hash, $file, $text, $since, $schedule, $now, $now, $now)
            ON CONFLICT (job) DO UPDATE SET version = excluded.version, content_hash = excluded.content_hash, file = excluded.file,
                definition = excluded.definition, schedule = excluded.schedule, updated_at = excluded.updated_at,
                since_crawl = CASE WHEN $sinceFromFile OR jobs.since_crawl IS NULL THEN excluded.since_crawl ELSE jobs.since_crawl END
            """, tx, ("job", job.Name), ("version", job.Version), ("hash", job.ContentHash), ("file", job.File), ("text", job.Text), ("since", sinceCrawl),
            ("schedule", job.Schedule is { } s ? $"{s.Cron} ({s.TimeZone})" : null), ("now", now), ("sinceFromFile", sinceFromFile)))
            cmd.ExecuteNonQuery();
        tx.Commit();
        using var read = Command("SELECT job, version, content_hash, file, since_crawl, schedule, created_at, updated_at, schedule_checked_at FROM jobs WHERE job = $job",
            null, ("job", job.Name));
        using var r = read.ExecuteReader();
        r.Read();
        return ReadJob(r);
    });

    /// <summary>Schedule times up to <paramref name="at"/> are handled.</summary>
    public void MarkScheduleChecked(string job, DateTime at) => Locked(() =>
    {
        using var cmd = Command("UPDATE jobs SET schedule_checked_at = $at WHERE job = $job", null, ("at", at), ("job", job));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>The runs of a job (of every version unless <paramref name="version"/>), oldest first.</summary>
    public IReadOnlyList<JobRun> JobRuns(string job, string? version = null) => Locked(() =>
    {
        using var cmd = Command("""
            SELECT run_id, job, version, crawl, scan_id, status, attempts, started_at, finished_at, hits, cost_usd, error, parquet
            FROM job_runs WHERE job = $job AND ($version IS NULL OR version = $version) ORDER BY run_id
            """, null, ("job", job), ("version", version));
        using var r = cmd.ExecuteReader();
        var runs = new List<JobRun>();
        while (r.Read())
            runs.Add(new JobRun(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.GetString(5), r.GetInt32(6), r.GetDateTime(7), r.IsDBNull(8) ? null : r.GetDateTime(8), r.IsDBNull(9) ? null : r.GetInt64(9),
                r.IsDBNull(10) ? null : r.GetDouble(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12)));
        return runs;
    });

    /// <summary>
    /// Starts a run of a job version on <paramref name="crawl"/> (null: its paths), status running. A crawl run that
    /// already exists for the version is refused (<see cref="ResultStoreException"/>): each crawl is run once per version.
    /// </summary>
    public long BeginJobRun(string job, string version, string? crawl, DateTime now) => Locked(() =>
    {
        using var tx = Connection.BeginTransaction();
        if (crawl is not null)
        {
            using var exists = Command("SELECT count(*) FROM job_runs WHERE job = $job AND version = $version AND crawl = $crawl", tx,
                ("job", job), ("version", version), ("crawl", crawl));
            if (Convert.ToInt64(exists.ExecuteScalar()) > 0) throw new ResultStoreException($"job {job} already has a run on {crawl} at version {version}");
        }
        using var cmd = Command("""
            INSERT INTO job_runs (run_id, job, version, crawl, status, attempts, started_at)
            SELECT coalesce(max(run_id), 0) + 1, $job, $version, $crawl, $status, 1, $now FROM job_runs
            RETURNING run_id
            """, tx, ("job", job), ("version", version), ("crawl", crawl), ("status", JobRun.Running), ("now", now));
        long id = Convert.ToInt64(cmd.ExecuteScalar());
        tx.Commit();
        return id;
    });

    /// <summary>A run is tried again: one more attempt, status running.</summary>
    public void RetryJobRun(long runId) => Locked(() =>
    {
        using var cmd = Command("UPDATE job_runs SET attempts = attempts + 1, status = $status, finished_at = NULL, error = NULL WHERE run_id = $run",
            null, ("status", JobRun.Running), ("run", runId));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Removes a run that never recorded a scan (its process died first): nothing else refers to it.</summary>
    public void DeleteJobRun(long runId) => Locked(() =>
    {
        using var cmd = Command("DELETE FROM job_runs WHERE run_id = $run AND scan_id IS NULL", null, ("run", runId));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Links a run to the scan that runs it.</summary>
    public void SetJobRunScan(long runId, long scanId) => Locked(() =>
    {
        using var cmd = Command("UPDATE job_runs SET scan_id = $scan WHERE run_id = $run", null, ("scan", scanId), ("run", runId));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Closes a run: its status, and its hits and cost from its scan's row.</summary>
    public void FinishJobRun(long runId, string status, string? error, DateTime now) => Locked(() =>
    {
        using var cmd = Command("""
            UPDATE job_runs SET status = $status, error = $error, finished_at = $now,
                hits = (SELECT hits FROM scans WHERE scans.scan_id = job_runs.scan_id),
                cost_usd = (SELECT cost_usd FROM scans WHERE scans.scan_id = job_runs.scan_id)
            WHERE run_id = $run
            """, null, ("status", status), ("error", error), ("now", now), ("run", runId));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Records the Parquet file a run's hits were exported to.</summary>
    public void SetJobRunParquet(long runId, string file) => Locked(() =>
    {
        using var cmd = Command("UPDATE job_runs SET parquet = $file WHERE run_id = $run", null, ("file", file), ("run", runId));
        return cmd.ExecuteNonQuery();
    });

    private static JobRecord ReadJob(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetDateTime(6), r.GetDateTime(7), r.GetDateTime(8));

    private T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(action);
        }
    }
}
