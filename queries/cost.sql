-- What Lambda billed per scan: invocations, billed time, GB-s and dollars, and the per-task figures behind them (0 for a scan on local cores).
WITH
-- The billing columns read by name: in a result file older than them they are NULL, not an error.
task_bills AS (
    SELECT * FROM (
        SELECT NULL::BIGINT AS scan_id, NULL::INTEGER AS invocations, NULL::BIGINT AS billed_ms, NULL::DOUBLE AS gb_seconds,
               NULL::DOUBLE AS cost_usd, NULL::INTEGER AS memory_mb, NULL::INTEGER AS max_memory_mb, NULL::DOUBLE AS init_ms
        LIMIT 0)
    UNION ALL BY NAME SELECT * FROM tasks
),
scan_bills AS (
    SELECT * FROM (
        SELECT NULL::BIGINT AS invocations, NULL::BIGINT AS billed_ms, NULL::DOUBLE AS gb_seconds, NULL::DOUBLE AS cost_usd
        LIMIT 0)
    UNION ALL BY NAME SELECT * FROM scans
),
per_task AS (
    SELECT
        scan_id,
        count(*)                                          AS tasks,
        count(invocations)                                AS lambda_tasks,
        sum(invocations)::BIGINT                          AS invocations,
        sum(billed_ms)::BIGINT                            AS billed_ms,
        sum(gb_seconds)                                   AS gb_seconds,
        sum(cost_usd)                                     AS cost_usd,
        max(max_memory_mb)                                AS max_memory_used_mb,
        max(memory_mb)                                    AS memory_mb,
        max(100.0 * max_memory_mb / nullif(memory_mb, 0)) AS memory_used_pct,
        count(init_ms)                                    AS cold_starts,
        avg(init_ms)                                      AS mean_init_ms
    FROM task_bills
    GROUP BY scan_id
),
totals AS (
    -- The scan's own totals count every invocation (retries and copies whose result was not kept); a scan that
    -- never finished has none yet, and shows what its recorded tasks were billed.
    SELECT
        s.scan_id, s.status,
        coalesce(t.tasks, 0)                                                 AS tasks,
        coalesce(t.lambda_tasks, 0)                                          AS lambda_tasks,
        coalesce(s.invocations, t.invocations, 0)                            AS invocations,
        coalesce(s.billed_ms, t.billed_ms, 0)                                AS billed_ms,
        coalesce(s.gb_seconds, t.gb_seconds, 0)                              AS gb_seconds,
        coalesce(s.cost_usd, t.cost_usd, 0)                                  AS cost_usd,
        t.max_memory_used_mb, t.memory_mb, t.memory_used_pct, t.cold_starts, t.mean_init_ms
    FROM scan_bills s
    LEFT JOIN per_task t USING (scan_id)
)
SELECT
    scan_id, status, tasks, lambda_tasks, invocations,
    round(billed_ms / 1000.0, 1)                                             AS billed_s,
    round(gb_seconds, 1)                                                     AS gb_s,
    round(cost_usd, 4)                                                       AS usd,
    round(coalesce(billed_ms / nullif(invocations, 0), 0))::BIGINT           AS mean_billed_ms,
    coalesce(max_memory_used_mb, 0)                                          AS max_memory_used_mb,
    coalesce(memory_mb, 0)                                                   AS memory_mb,
    round(coalesce(memory_used_pct, 0))::INTEGER                             AS memory_used_pct,
    coalesce(cold_starts, 0)                                                 AS cold_starts,
    round(coalesce(mean_init_ms, 0))::BIGINT                                 AS mean_init_ms
FROM totals
ORDER BY scan_id;
