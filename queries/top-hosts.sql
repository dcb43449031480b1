-- Hosts with the most hits, with the records and patterns behind them.
SELECT
    host,
    count(*)                                  AS hits,
    count(DISTINCT (file, record_offset))     AS records,
    count(DISTINCT pattern_index)             AS patterns,
    min(warc_date)                            AS first_seen,
    max(warc_date)                            AS last_seen
FROM hits
WHERE host IS NOT NULL
GROUP BY host
ORDER BY hits DESC, host
LIMIT 50;
