using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Scanning;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// The DuckDB file every scan lands in: tables <c>scans</c>, <c>tasks</c> and <c>hits</c>.
/// Thread-safe: calls are serialized on one connection. The file is held open only while it is written to (released
/// when idle, and after <see cref="HoldLimit"/> when another process is waiting for it), and opening waits out another
/// process's hold: so two scans (two terminals, a job during a scan) record into one file at once, taking turns,
/// instead of the second failing on DuckDB's file lock.
/// </summary>
public sealed partial class ResultStore : IDisposable
{
    /// <summary>The result file used when none is given: in the current directory.</summary>
    public const string DefaultPath = "crawlgrep.duckdb";

    /// <summary>
    /// The storage format of the result files this process creates: DuckDB 1.2's, the first with zstd for text (see
    /// <see cref="HitColumns.CreateTables"/>), read by DuckDB 1.2 and newer. A file made by an older crawlgrep keeps
    /// its own format.
    /// </summary>
    internal const string StorageVersion = "v1.2.0";

    private static string Schema(bool zstdContexts) => HitColumns.CreateTables(zstdContexts) + "\n" + """
        CREATE TABLE IF NOT EXISTS scans (
            scan_id BIGINT PRIMARY KEY,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            status VARCHAR,
            command VARCHAR,
            patterns VARCHAR[],
            inputs VARCHAR[],
            files BIGINT,
            records BIGINT,
            compressed_bytes BIGINT,
            decoded_bytes BIGINT,
            hits BIGINT,
            warnings BIGINT,
            errors BIGINT
        );
        CREATE TABLE IF NOT EXISTS tasks (
            scan_id BIGINT,
            task_id VARCHAR,
            source VARCHAR,
            range_start BIGINT,
            range_end BIGINT,
            format VARCHAR,
            status VARCHAR,
            error VARCHAR,
            records BIGINT,
            hits BIGINT,
            compressed_bytes BIGINT,
            started_at TIMESTAMP,
            finished_at TIMESTAMP
        );
        -- The tasks a scan was cut into (its ScanPlan as JSON), so a resume knows what is left; added to older files.
        ALTER TABLE scans ADD COLUMN IF NOT EXISTS plan VARCHAR;
        -- What Lambda billed (NULL for work on the local cores): per task, the invocations of its recorded try; per
        -- scan, every invocation, kept or not. Added to older files; added here in new files too, so that both have
        -- their columns in one order.
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS invocations INTEGER;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS billed_ms BIGINT;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS gb_seconds DOUBLE;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS memory_mb INTEGER;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS max_memory_mb INTEGER;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS init_ms DOUBLE;
        ALTER TABLE tasks ADD COLUMN IF NOT EXISTS cost_usd DOUBLE;
        ALTER TABLE scans ADD COLUMN IF NOT EXISTS invocations BIGINT;
        ALTER TABLE scans ADD COLUMN IF NOT EXISTS billed_ms BIGINT;
        ALTER TABLE scans ADD COLUMN IF NOT EXISTS gb_seconds DOUBLE;
        ALTER TABLE scans ADD COLUMN IF NOT EXISTS cost_usd DOUBLE;
        -- Research jobs: one row per job, at the version its file last had.
        CREATE TABLE IF NOT EXISTS jobs (
            job VARCHAR PRIMARY KEY,
            version VARCHAR,
            content_hash VARCHAR,
            file VARCHAR,
            definition VARCHAR,
            since_crawl VARCHAR,
            schedule VARCHAR,
            created_at TIMESTAMP,
            updated_at TIMESTAMP,
            schedule_checked_at TIMESTAMP
        );
        -- One row per run of a job version: on one crawl (crawl set), or on its paths (crawl NULL). A run's hits are
        -- its scan's.
        CREATE TABLE IF NOT EXISTS job_runs (
            run_id BIGINT PRIMARY KEY,
            job VARCHAR,
            version VARCHAR,
            crawl VARCHAR,
            scan_id BIGINT,
            status VARCHAR,
            attempts INTEGER,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            hits BIGINT,
            cost_usd DOUBLE,
            error VARCHAR,
            parquet VARCHAR
        );
        -- The hits of every complete run of each job's current version, labelled by the run's crawl (a path job's
        -- runs by their start time): what the job queries and the report read.
        CREATE OR REPLACE VIEW job_hits AS
            SELECT r.job, r.run_id, coalesce(r.crawl, strftime(r.started_at, '%Y-%m-%dT%H:%M')) AS run_crawl, h.*
            FROM job_runs r
            JOIN jobs j ON j.job = r.job AND j.version = r.version
            JOIN hits h ON h.scan_id = r.scan_id
            WHERE r.status = 'complete';
        """;

    /// <summary>The longest this process holds the file while another one waits for it.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(1);
    /// <summary>
    /// What DuckDB may keep in memory while it commits a task (its buffers: the task's rows before they are written,
    /// the blocks written). Left to DuckDB, a scan that holds the file keeps every block it wrote, past 400 MB with a
    /// million hits; evicting them costs nothing, as they are on disk. A commit that needs more is run again without it.
    /// </summary>
    internal string CommitMemoryLimit { get; set; } = "48MB";
    /// <summary>The file is let go when nothing has been written for this long.</summary>
    public static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(150);
    /// <summary>How long opening waits for another process to let go of the file before it fails.</summary>
    public static TimeSpan LockWait { get; set; } = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Timer _idleTimer;
    private DuckDBConnection? _connection;
    private DateTime _heldSince, _lastUse, _reopenNotBefore;
    private bool _disposed;

    /// <summary>Opens the result file, creating it and its tables if missing.</summary>
    public ResultStore(string path = DefaultPath)
    {
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _idleTimer = new Timer(_ => ReleaseIfIdle());
        try
        {
            lock (_gate)
            {
                bool zstdContexts = StorageHasZstd();
                MigrateHitsTable(zstdContexts);
                Execute(Schema(zstdContexts));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private DuckDBConnection Connection => _connection!;

    /// <summary>The result file.</summary>
    public string Path { get; }

    /// <summary>Starts a scan: a new <c>scans</c> row (id = largest + 1) with status <c>running</c>.</summary>
    public long BeginScan(ScanInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(() =>
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = """
                    INSERT INTO scans (scan_id, started_at, status, command, patterns, inputs,
                                       files, records, compressed_bytes, decoded_bytes, hits, warnings, errors)
                    SELECT coalesce(max(scan_id), 0) + 1, $started, $status, $command, $patterns, $inputs,
                           0, 0, 0, 0, 0, 0, 0
                    FROM scans
                    RETURNING scan_id
                    """;
                cmd.Parameters.Add(new DuckDBParameter("started", info.StartedAt ?? DateTime.UtcNow));
                cmd.Parameters.Add(new DuckDBParameter("status", ScanStatus.Running));
                cmd.Parameters.Add(new DuckDBParameter("command", (object?)info.Command ?? DBNull.Value));
                cmd.Parameters.Add(new DuckDBParameter("patterns", (info.Patterns ?? []).ToList()));
                cmd.Parameters.Add(new DuckDBParameter("inputs", (info.Inputs ?? []).ToList()));
                return Convert.ToInt64(cmd.ExecuteScalar());
            });
        }
    }

    /// <summary>Keeps the plan of a scan (its tasks as JSON) for <see cref="LoadScan"/>.</summary>
    public void SavePlan(long scanId, string planJson)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            Guard(() =>
            {
                using var cmd = Command("UPDATE scans SET plan = $plan WHERE scan_id = $scan", null, ("plan", planJson), ("scan", scanId));
                return cmd.ExecuteNonQuery();
            });
        }
    }

    /// <summary>A recorded scan as a resume sees it; null when there is no such scan.</summary>
    public RecordedScan? LoadScan(long scanId)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(() =>
            {
                string status;
                string? plan;
                using (var cmd = Command("SELECT status, plan FROM scans WHERE scan_id = $scan", null, ("scan", scanId)))
                using (var r = cmd.ExecuteReader())
                {
                    if (!r.Read()) return null;
                    status = r.IsDBNull(0) ? "" : r.GetString(0);
                    plan = r.IsDBNull(1) ? null : r.GetString(1);
                }
                var ids = new HashSet<string>(StringComparer.Ordinal);
                using (var done = Command("SELECT DISTINCT task_id FROM tasks WHERE scan_id = $scan AND status = $done", null, ("scan", scanId), ("done", TaskRecord.Done)))
                using (var r = done.ExecuteReader())
                    while (r.Read()) ids.Add(r.GetString(0));
                return new RecordedScan(scanId, status, plan, ids);
            });
        }
    }

    /// <summary>
    /// Reopens a scan to run <paramref name="tasks"/> again: in one transaction, the hits of the records they own
    /// (those whose offset lies in their ranges: what a failed try of them kept) and their task rows are removed,
    /// and the scan is marked running. Their new hits then replace, never double, the old ones.
    /// </summary>
    public void BeginResume(long scanId, IEnumerable<(string TaskId, string Source, long Start, long End)> tasks)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            Guard(() =>
            {
                using var tx = Connection.BeginTransaction();
                foreach (var t in tasks)
                {
                    DeleteHits(tx, scanId, t.Source, t.Start, t.End);
                    using (var rows = Command("DELETE FROM tasks WHERE scan_id = $scan AND (task_id = $id OR (source = $source AND status <> $done))",
                               tx, ("scan", scanId), ("id", t.TaskId), ("source", t.Source), ("done", TaskRecord.Done)))
                        rows.ExecuteNonQuery();
                }
                using (var status = Command("UPDATE scans SET status = $status, finished_at = NULL WHERE scan_id = $scan", tx, ("status", ScanStatus.Running), ("scan", scanId)))
                    status.ExecuteNonQuery();
                tx.Commit();
                return 0;
            });
        }
    }

    /// <summary>
    /// Closes a resumed scan: hits, records and bytes are summed over all its tasks (the earlier runs' and this
    /// one's), warnings and decoded bytes are added to the earlier runs', errors are this run's (what is still failed).
    /// <paramref name="billing"/>, this run's Lambda bill, is added to the earlier runs' (null: a run on the local
    /// cores, which leaves the scan's bill as it was).
    /// </summary>
    public void FinishResumedScan(long scanId, ScanStats run, string status, ScanBilling? billing = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            Guard(() =>
            {
                var (bill, billParameters) = BillingTerms(billing, add: true);
                using var cmd = Command($$"""
                    UPDATE scans SET finished_at = $finished, status = $status{{bill}},
                        files = (SELECT count(DISTINCT source) FROM tasks WHERE scan_id = $scan),
                        records = (SELECT coalesce(sum(records), 0) FROM tasks WHERE scan_id = $scan),
                        compressed_bytes = (SELECT coalesce(sum(compressed_bytes), 0) FROM tasks WHERE scan_id = $scan),
                        decoded_bytes = decoded_bytes + $dbytes,
                        hits = (SELECT count(*) FROM hits WHERE scan_id = $scan),
                        warnings = warnings + $warnings, errors = $errors
                    WHERE scan_id = $scan
                    """, null, [("finished", DateTime.UtcNow), ("status", status), ("dbytes", run.DecodedBytes), ("warnings", run.Warnings),
                    ("errors", run.Errors), ("scan", scanId), .. billParameters]);
                return cmd.ExecuteNonQuery();
            });
        }
    }

    /// <summary>A command with its parameters (null as SQL NULL), in <paramref name="tx"/> when given.</summary>
    private DuckDBCommand Command(string sql, DuckDBTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        if (tx is not null) cmd.Transaction = tx;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        return cmd;
    }

    /// <summary>
    /// The reducer's one write: a task's hits and its <c>tasks</c> row in one transaction, once per task id. A task
    /// already recorded done in the scan (a second copy of it: a retry whose first answer was lost, a duplicate
    /// delivery) is left as it is and false returned; a failed try of it is replaced, its row and its hits.
    /// </summary>
    public bool CommitTask(long scanId, TaskRecord task, IReadOnlyList<Hit> hits)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(hits);
        return CommitTask(scanId, task.TaskId, task.Source, task.RangeStart, task.RangeEnd, append =>
        {
            foreach (var h in hits) append(h);
            return task;
        });
    }

    /// <summary>
    /// <see cref="CommitTask(long, TaskRecord, IReadOnlyList{Hit})"/> for hits that stream in (a partial result
    /// decoded as it is read): <paramref name="produce"/> hands each hit to the append it is given, then returns the
    /// task's row. Nothing of it is kept if it throws.
    /// </summary>
    public bool CommitTask(long scanId, string taskId, string source, long start, long end, Func<Action<Hit>, TaskRecord> produce) =>
        CommitTask(scanId, taskId, source, start, end, writer =>
        {
            using var batch = new HitBatch();
            var task = produce(batch.Add);
            writer.Append(batch);
            return task;
        });

    /// <summary>
    /// <see cref="CommitTask(long, TaskRecord, IReadOnlyList{Hit})"/> for a task's hits in columns: appended as the
    /// UTF-8 bytes they are kept in, segment by segment, with no object or string made per hit.
    /// </summary>
    public bool CommitTask(long scanId, TaskRecord task, HitBatch hits)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(hits);
        return CommitTask(scanId, task.TaskId, task.Source, task.RangeStart, task.RangeEnd, writer =>
        {
            writer.Append(hits);
            return task;
        });
    }

    private bool CommitTask(long scanId, string taskId, string source, long start, long end, Func<HitSegmentAppender, TaskRecord> append)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(() =>
            {
                // One DuckDB thread for the commit (its compression at the checkpoint included): the scanners have the
                // cores, and DuckDB's idle workers would spin (sched_yield) beside them. A quarter less CPU with many hits.
                Run("SET threads = 1");
                string ownLimit; // DuckDB's own, given back after the commit
                using (var limit = Connection.CreateCommand())
                {
                    limit.CommandText = "SELECT current_setting('memory_limit')";
                    ownLimit = (string)limit.ExecuteScalar()!;
                }
                Run($"SET memory_limit = '{CommitMemoryLimit}'");
                try { return CommitTaskHeld(scanId, taskId, source, start, end, append); }
                catch (DuckDBException e) when (e.ErrorType == DuckDB.NET.Native.DuckDBErrorType.OutOfMemory)
                {
                    // Rolled back whole: the task's hits are read again (a batch or a partial can be), without the limit.
                    Run($"SET memory_limit = '{ownLimit}'");
                    return CommitTaskHeld(scanId, taskId, source, start, end, append);
                }
                finally
                {
                    Run("RESET threads");
                    Run($"SET memory_limit = '{ownLimit}'"); // RESET would not give DuckDB's buffers their room back
                }
            });
        }
    }

    /// <summary>Runs a statement on the held file (inside <see cref="Guard"/>).</summary>
    private void Run(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The transaction of <see cref="CommitTask(long, string, string, long, long, Func{HitSegmentAppender, TaskRecord})"/>, on the held file.</summary>
    private bool CommitTaskHeld(long scanId, string taskId, string source, long start, long end, Func<HitSegmentAppender, TaskRecord> append)
    {
        using var tx = Connection.BeginTransaction();
        using (var done = Command("SELECT count(*) FROM tasks WHERE scan_id = $scan AND task_id = $id AND status = $done", tx,
                   ("scan", scanId), ("id", taskId), ("done", TaskRecord.Done)))
        {
            if (Convert.ToInt64(done.ExecuteScalar()) > 0)
            {
                tx.Rollback();
                return false;
            }
        }
        // A failed try of the task gives way, with what it had found (its hits are those of the records its range owns).
        using (var stale = Command("DELETE FROM tasks WHERE scan_id = $scan AND task_id = $id", tx, ("scan", scanId), ("id", taskId)))
        {
            if (stale.ExecuteNonQuery() > 0)
                DeleteHits(tx, scanId, source, start, end);
        }
        TaskRecord task;
        task = append(new HitSegmentAppender(Connection, scanId, FirstFreeRecordNo(tx)));
        var bill = task.Billing;
        using (var row = Command("""
            INSERT INTO tasks (scan_id, task_id, source, range_start, range_end, format, status, error,
                               records, hits, compressed_bytes, started_at, finished_at,
                               invocations, billed_ms, gb_seconds, memory_mb, max_memory_mb, init_ms, cost_usd)
            VALUES ($scan, $id, $source, $start, $end, $format, $status, $error, $records, $hits, $cbytes, $started, $finished,
                    $invocations, $billed, $gbs, $memory, $maxmemory, $init, $usd)
            """, tx, ("scan", scanId), ("id", task.TaskId), ("source", task.Source), ("start", task.RangeStart), ("end", task.RangeEnd),
            ("format", task.Format), ("status", task.Status), ("error", task.Error), ("records", task.Records), ("hits", task.Hits),
            ("cbytes", task.CompressedBytes), ("started", task.StartedAt), ("finished", task.FinishedAt),
            ("invocations", bill?.Invocations), ("billed", bill?.BilledMs), ("gbs", bill?.GbSeconds), ("memory", bill?.MemorySizeMb),
            ("maxmemory", bill?.MaxMemoryUsedMb), ("init", bill?.InitDurationMs), ("usd", bill?.Dollars)))
            row.ExecuteNonQuery();
        tx.Commit();
        return true;
    }

    /// <summary>The number after the largest <c>record_no</c> of <c>hit_records</c>: where a commit's records start.</summary>
    private long FirstFreeRecordNo(DuckDBTransaction tx)
    {
        using var cmd = Command("SELECT coalesce(max(record_no), 0) + 1 FROM hit_records", tx);
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>Removes the hits of the records of <paramref name="source"/> whose offset lies in [start, end).</summary>
    private void DeleteHits(DuckDBTransaction tx, long scanId, string source, long start, long end)
    {
        (string, object?)[] range = [("scan", scanId), ("source", source), ("start", start), ("end", end)];
        using (var matches = Command("""
            DELETE FROM hit_matches WHERE scan_id = $scan AND record_no IN
                (SELECT record_no FROM hit_records WHERE scan_id = $scan AND file = $source AND record_offset >= $start AND record_offset < $end)
            """, tx, range))
            matches.ExecuteNonQuery();
        using var records = Command("DELETE FROM hit_records WHERE scan_id = $scan AND file = $source AND record_offset >= $start AND record_offset < $end",
            tx, range);
        records.ExecuteNonQuery();
    }

    /// <summary>Whether the file's storage format (<see cref="StorageVersion"/> or an older one it was made in) has zstd for text.</summary>
    private bool StorageHasZstd() => Guard(() =>
    {
        using var cmd = Command("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()", null);
        return StorageVersionAtLeast(cmd.ExecuteScalar() as string, StorageVersion);
    });

    /// <summary>
    /// Whether DuckDB's name of a storage format (<c>v1.0.0+</c>: files DuckDB 1.0 and newer read) is
    /// <paramref name="least"/> or newer; false when it says no version.
    /// </summary>
    internal static bool StorageVersionAtLeast(string? tag, string least) =>
        Version.TryParse(tag?.TrimStart('v').TrimEnd('+'), out var v) && v >= Version.Parse(least.TrimStart('v'));

    /// <summary>Moves the hits of a file written before <c>hit_records</c> existed into it (see <see cref="HitColumns.MigrateTable"/>).</summary>
    private void MigrateHitsTable(bool zstdContexts) => Guard(() =>
    {
        using (var kind = Command("SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'hits'", null))
            if (kind.ExecuteScalar() as string != "BASE TABLE") return 0;
        using var tx = Connection.BeginTransaction();
        using (var move = Command(HitColumns.MigrateTable(zstdContexts), tx))
            move.ExecuteNonQuery();
        tx.Commit();
        return 0;
    });

    /// <summary>
    /// Closes a scan: its totals, finish time and status (<see cref="ScanStatus"/>), and what Lambda billed for it
    /// (null for a scan on the local cores: its bill stays NULL).
    /// </summary>
    public void FinishScan(long scanId, ScanStats totals, string status, ScanBilling? billing = null)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentException.ThrowIfNullOrEmpty(status);
        lock (_gate)
        {
            ThrowIfDisposed();
            Guard(() =>
            {
                var (bill, billParameters) = BillingTerms(billing, add: false);
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = $$"""
                    UPDATE scans SET finished_at = $finished, status = $status{{bill}},
                        files = $files, records = $records, compressed_bytes = $cbytes, decoded_bytes = $dbytes,
                        hits = $hits, warnings = $warnings, errors = $errors
                    WHERE scan_id = $scan
                    """;
                cmd.Parameters.Add(new DuckDBParameter("finished", DateTime.UtcNow));
                cmd.Parameters.Add(new DuckDBParameter("status", status));
                cmd.Parameters.Add(new DuckDBParameter("files", totals.Files));
                cmd.Parameters.Add(new DuckDBParameter("records", totals.Records));
                cmd.Parameters.Add(new DuckDBParameter("cbytes", totals.CompressedBytes));
                cmd.Parameters.Add(new DuckDBParameter("dbytes", totals.DecodedBytes));
                cmd.Parameters.Add(new DuckDBParameter("hits", totals.Hits));
                cmd.Parameters.Add(new DuckDBParameter("warnings", totals.Warnings));
                cmd.Parameters.Add(new DuckDBParameter("errors", totals.Errors));
                cmd.Parameters.Add(new DuckDBParameter("scan", scanId));
                foreach (var (name, value) in billParameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
                if (cmd.ExecuteNonQuery() == 0)
                    throw new ResultStoreException($"no scan with id {scanId} in {Path}");
                return 0;
            });
        }
    }

    /// <summary>
    /// The SET terms of a scan's bill for an UPDATE of <c>scans</c> (none without a bill), and their parameters:
    /// the bill written, or added to the scan's (a resumed run).
    /// </summary>
    private static (string Sql, (string Name, object? Value)[] Parameters) BillingTerms(ScanBilling? billing, bool add)
    {
        if (billing is null) return ("", []);
        string Term(string column, string parameter) => add ? $"{column} = coalesce({column}, 0) + ${parameter}" : $"{column} = ${parameter}";
        return ($", {Term("invocations", "invocations")}, {Term("billed_ms", "billed")}, {Term("gb_seconds", "gbs")}, {Term("cost_usd", "usd")}",
            [("invocations", billing.Invocations), ("billed", billing.BilledMs), ("gbs", billing.GbSeconds), ("usd", billing.Dollars)]);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _idleTimer.Dispose();
            Release();
        }
    }

    /// <summary>
    /// Opens a connection to a result file, waiting up to <see cref="LockWait"/> while another process holds it;
    /// DuckDB errors become one line.
    /// </summary>
    internal static DuckDBConnection Open(string path, bool readOnly)
    {
        var builder = new DuckDBConnectionStringBuilder { DataSource = path };
        if (readOnly) builder["ACCESS_MODE"] = "READ_ONLY";
        else builder["storage_compatibility_version"] = StorageVersion; // for a file it creates; one that exists keeps its own
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool saidWaiting = false;
        while (true)
        {
            var connection = new DuckDBConnection(builder.ConnectionString);
            try
            {
                connection.Open();
                if (saidWaiting) StopWaiting(path);
                if (!readOnly) NoVacuum(connection);
                return connection;
            }
            catch (DuckDBException e) when (IsLockConflict(e) && waited.Elapsed < LockWait)
            {
                connection.Dispose();
                SayWaiting(path);
                saidWaiting = true;
                Thread.Sleep(20 + Random.Shared.Next(60)); // jittered: two waiters do not knock in step
            }
            catch (DuckDBException e)
            {
                connection.Dispose();
                if (saidWaiting) StopWaiting(path); // waited in vain: no sign left behind
                string wait = IsLockConflict(e) ? $" (another process held it for {LockWait.TotalSeconds:0} s)" : "";
                throw new ResultStoreException($"cannot open {path}: {ResultStoreException.FirstLine(e.Message)}{wait}", e);
            }
        }
    }

    /// <summary>
    /// No merging of row groups at this process's checkpoints (a scan's let-go and end, a write through <c>sql</c>). A
    /// commit of more hits than a row group holds leaves its own row groups, the last one part-full; DuckDB's vacuum
    /// would decompress and recompress such neighbours into fewer at each checkpoint: half the DuckDB work of a scan
    /// with a million hits. A part-full row group costs a query little; DuckDB itself (its shell) merges them when it
    /// next writes the file.
    /// </summary>
    private static void NoVacuum(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SET max_vacuum_tasks = 0";
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// The file beside a result file that processes waiting for it touch while they wait: its holder lets go after
    /// <see cref="HoldLimit"/> only when it is fresh. (A holder cannot see DuckDB's lock being asked for; without a
    /// sign it would have to let go every second, and each let-go is a checkpoint and a reopen.)
    /// </summary>
    internal static string WaitingSign(string path) => path + ".wait";

    private static void SayWaiting(string path)
    {
        try { File.WriteAllBytes(WaitingSign(path), []); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a read-only folder: wait unseen
    }

    private static void StopWaiting(string path) // another waiter touches it again
    {
        try { File.Delete(WaitingSign(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>True when a process has said in the last second that it waits for the file.</summary>
    private bool AnotherProcessWaits() => DateTime.UtcNow - File.GetLastWriteTimeUtc(WaitingSign(Path)) < TimeSpan.FromSeconds(1);

    private static bool IsLockConflict(DuckDBException e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the file for this process's next write, unless it holds it already. Under <see cref="_gate"/>.</summary>
    private void Acquire()
    {
        ThrowIfDisposed();
        if (_connection is not null) return;
        // After a long hold, give a waiting process its turn before taking the file again.
        var wait = _reopenNotBefore - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        _connection = Open(Path, readOnly: false);
        _heldSince = DateTime.UtcNow;
    }

    /// <summary>After a write: let the file go when held too long, else when idle. Under <see cref="_gate"/>.</summary>
    private void AfterUse()
    {
        _lastUse = DateTime.UtcNow;
        if (_lastUse - _heldSince >= HoldLimit && AnotherProcessWaits())
        {
            Release();
            _reopenNotBefore = DateTime.UtcNow + IdleRelease;
        }
        else if (!_disposed) _idleTimer.Change(IdleRelease, Timeout.InfiniteTimeSpan);
    }

    private void ReleaseIfIdle()
    {
        lock (_gate)
        {
            if (_connection is not null && DateTime.UtcNow - _lastUse >= IdleRelease - TimeSpan.FromMilliseconds(5)) Release();
        }
    }

    private void Release()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private void Execute(string sql)
    {
        Guard(() =>
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteNonQuery();
        });
    }

    /// <summary>Runs one write (or read) on the held file, opening it first. Under <see cref="_gate"/>.</summary>
    private T Guard<T>(Func<T> action)
    {
        Acquire();
        try
        {
            return action();
        }
        catch (DuckDBException e)
        {
            throw ResultStoreException.From(e);
        }
        finally { AfterUse(); }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
