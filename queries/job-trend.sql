-- The patterns whose hits moved most between a research job's two latest complete crawls (crawlgrep query job-trend --job NAME).
-- Reads the complete runs of the job's current version (job_runs, job_hits, and scans for the records scanned); no
-- rows until the job has two complete crawls. A pattern with hits in neither crawl is not listed.
-- Columns:
--   pattern                  the pattern
--   previous_crawl           the second-latest complete crawl
--   previous_hits            the pattern's matches in it
--   latest_crawl             the latest complete crawl
--   latest_hits              the pattern's matches in it
--   change                   latest_hits - previous_hits
--   relative_change          change / previous_hits (0.5 is +50%); NULL when previous_hits is 0
--   previous_per_1k_records  previous_hits per 1,000 records the previous crawl's run scanned (NULL: not recorded)
--   latest_per_1k_records    the same for the latest crawl: comparable when the crawls differ in size
-- Ordered by the size of the change, largest first.
WITH runs AS (
    SELECT
        coalesce(r.crawl, strftime(r.started_at, '%Y-%m-%dT%H:%M')) AS run_crawl,
        sum(s.records)                                                AS records_scanned
    FROM job_runs r
    JOIN jobs j ON j.job = r.job AND j.version = r.version
    LEFT JOIN scans s ON s.scan_id = r.scan_id
    WHERE r.job = $job AND r.status = 'complete'
    GROUP BY 1
),
ranked AS (
    SELECT run_crawl, records_scanned, row_number() OVER (ORDER BY run_crawl DESC) AS n FROM runs
),
pair AS (
    SELECT p.run_crawl AS previous_crawl, p.records_scanned AS previous_records,
           l.run_crawl AS latest_crawl, l.records_scanned AS latest_records
    FROM ranked l, ranked p
    WHERE l.n = 1 AND p.n = 2
),
counts AS (
    SELECT
        h.pattern,
        min(h.pattern_index)                                          AS pattern_index,
        count(*) FILTER (WHERE h.run_crawl = pair.previous_crawl)     AS previous_hits,
        count(*) FILTER (WHERE h.run_crawl = pair.latest_crawl)       AS latest_hits
    FROM job_hits h, pair
    WHERE h.job = $job AND h.run_crawl IN (pair.previous_crawl, pair.latest_crawl)
    GROUP BY h.pattern
)
SELECT
    c.pattern,
    pair.previous_crawl,
    c.previous_hits,
    pair.latest_crawl,
    c.latest_hits,
    c.latest_hits - c.previous_hits                                                   AS change,
    round((c.latest_hits - c.previous_hits) / nullif(c.previous_hits, 0), 3)          AS relative_change,
    round(c.previous_hits * 1000.0 / nullif(pair.previous_records, 0), 3)::DOUBLE     AS previous_per_1k_records,
    round(c.latest_hits * 1000.0 / nullif(pair.latest_records, 0), 3)::DOUBLE         AS latest_per_1k_records
FROM counts c, pair
ORDER BY abs(c.latest_hits - c.previous_hits) DESC, c.pattern_index, c.pattern;
