-- Hosts with hits in a research job's latest complete crawl and none in any earlier one, most hits first (crawlgrep query job-new-hosts --job NAME).
-- Reads the complete runs of the job's current version (job_runs, job_hits). The latest crawl is the greatest crawl id
-- among them (CC-MAIN ids sort by time); with only one complete crawl, every host of it is new.
-- Columns:
--   crawl     the latest complete crawl
--   host      a host first seen with hits in that crawl
--   hits      its matches in that crawl
--   records   its records with at least one hit (distinct file and record_offset)
--   patterns  the patterns it matched, sorted, comma-separated
WITH runs AS (
    SELECT DISTINCT coalesce(r.crawl, strftime(r.started_at, '%Y-%m-%dT%H:%M')) AS run_crawl
    FROM job_runs r
    JOIN jobs j ON j.job = r.job AND j.version = r.version
    WHERE r.job = $job AND r.status = 'complete'
),
latest AS (
    SELECT max(run_crawl) AS run_crawl FROM runs
)
SELECT
    h.run_crawl                                                   AS crawl,
    h.host,
    count(*)                                                      AS hits,
    count(DISTINCT (h.file, h.record_offset))                     AS records,
    string_agg(DISTINCT h.pattern, ', ' ORDER BY h.pattern)       AS patterns
FROM job_hits h
JOIN latest l ON h.run_crawl = l.run_crawl
WHERE h.job = $job
  AND h.host IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM job_hits e
      WHERE e.job = $job AND e.host = h.host AND e.run_crawl < l.run_crawl
  )
GROUP BY h.run_crawl, h.host
ORDER BY hits DESC, h.host;
