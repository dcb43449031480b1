-- For each pattern: how many hits, distinct matched strings, hosts, and its most frequent match.
SELECT
    pattern_index,
    any_value(pattern)                        AS pattern,
    count(*)                                  AS hits,
    count(DISTINCT match)                     AS distinct_matches,
    count(DISTINCT host)                      AS hosts,
    mode(match)                               AS top_match
FROM hits
GROUP BY pattern_index
ORDER BY pattern_index;
