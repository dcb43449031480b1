-- Up to three example contexts per host (the ten hosts with most hits), with the URL to see each in place.
WITH top AS (
    SELECT host, count(*) AS hits
    FROM hits
    WHERE host IS NOT NULL
    GROUP BY host
    ORDER BY hits DESC, host
    LIMIT 10
),
ranked AS (
    SELECT
        h.host, t.hits, h.pattern, h.match, h.context, h.target_uri,
        row_number() OVER (PARTITION BY h.host ORDER BY h.warc_date DESC NULLS LAST, h.file, h.record_offset, h.match_offset) AS n
    FROM hits h
    JOIN top t USING (host)
)
SELECT host, hits, n, pattern, match, context, target_uri
FROM ranked
WHERE n <= 3
ORDER BY hits DESC, host, n;
