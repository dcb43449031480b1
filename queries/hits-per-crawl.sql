-- Hits per crawl and WARC record type, with the hosts and records they come from.
SELECT
    coalesce(crawl, '(unknown)')              AS crawl,
    coalesce(warc_type, '(unknown)')          AS warc_type,
    count(*)                                  AS hits,
    count(DISTINCT (file, record_offset))     AS records,
    count(DISTINCT host)                      AS hosts
FROM hits
GROUP BY ALL
ORDER BY crawl, hits DESC, warc_type;
