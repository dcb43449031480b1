-- A research job's hits per crawl and pattern, oldest crawl first, each crawl closed by its total (crawlgrep query job-hits-per-crawl --job NAME).
-- Reads the complete runs of the job's current version (job_runs, job_hits); runs of older versions and runs not
-- complete are left out. A complete crawl without any hit still shows, as a total row of zeros.
-- Columns:
--   crawl    the run's crawl id (CC-MAIN-2024-33; a job over paths: the run's start time)
--   pattern  the pattern; '(all patterns)' on the crawl's total row
--   hits     matches found
--   records  records with at least one hit (distinct file and record_offset)
--   hosts    distinct hosts of those records
WITH runs AS (
    SELECT DISTINCT coalesce(r.crawl, strftime(r.started_at, '%Y-%m-%dT%H:%M')) AS run_crawl
    FROM job_runs r
    JOIN jobs j ON j.job = r.job AND j.version = r.version
    WHERE r.job = $job AND r.status = 'complete'
),
counts AS (
    SELECT
        run_crawl,
        pattern,
        grouping(pattern)                         AS is_total,
        min(pattern_index)                        AS pattern_index,
        count(*)                                  AS hits,
        count(DISTINCT (file, record_offset))     AS records,
        count(DISTINCT host)                      AS hosts
    FROM job_hits
    WHERE job = $job
    GROUP BY GROUPING SETS ((run_crawl, pattern), (run_crawl))
)
SELECT
    r.run_crawl                                                   AS crawl,
    CASE WHEN coalesce(c.is_total, 1) = 1 THEN '(all patterns)' ELSE c.pattern END AS pattern,
    coalesce(c.hits, 0)                                           AS hits,
    coalesce(c.records, 0)                                        AS records,
    coalesce(c.hosts, 0)                                          AS hosts
FROM runs r
LEFT JOIN counts c ON c.run_crawl = r.run_crawl
ORDER BY r.run_crawl, coalesce(c.is_total, 1), c.hits DESC, c.pattern_index, c.pattern;
