-- Inputs (tasks) that could not be read, per scan, with the error.
SELECT scan_id, source, range_start, range_end, format, error, finished_at
FROM tasks
WHERE status = 'failed'
ORDER BY scan_id, source, range_start;
