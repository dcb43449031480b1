-- Every scan: when, what, status and totals.
SELECT
    scan_id, status, started_at, finished_at,
    finished_at - started_at                  AS duration,
    patterns, files, records, hits, warnings, errors,
    command
FROM scans
ORDER BY scan_id;
