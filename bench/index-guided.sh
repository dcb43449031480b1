#!/usr/bin/env bash
# An index-guided scan against a full scan with filters, on one generated crawl, in one run.
#
#   bench/index-guided.sh          (SIZE=1G per file, FILES=1, RUNS=3 by default)
#
# A crawl of FILES files of SIZE each (uncompressed) is generated once (seed 1) under artifacts/index-guided/, with
# one columnar index of them all. The predicate picks the HTML pages of one top-level domain fetched over plain
# http, the domain chosen so that they are about 1% of the crawl's records. The same question is asked twice, page
# cache warm:
#   index: crawlgrep --crawl ID --where "url_protocol = 'http' AND url_host_tld = 'X' AND content_mime_type = 'text/html'"
#   full:  crawlgrep --url '^http://[^/]*\.X(:[0-9]+)?/' --mime text/html FILE...
# Both must count the same matching lines. The table gives the median time, the bytes each read (--stats), and the
# ratios. Locally the gap read across is 64 KiB; --max-gap 0 reads the records alone.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1G}
FILES=${FILES:-1}
RUNS=${RUNS:-3}
work=artifacts/index-guided
mkdir -p "$work"
crawlgrep=("$(bench/publish.sh)")

root="$work/crawl-$FILES-x-$SIZE"
if ! ls "$root"/cc-index/table/cc-main/warc/crawl=*/subset=warc/*.parquet >/dev/null 2>&1; then
  rm -rf "$root"
  echo "Generating a crawl of $FILES x $SIZE with its index (once)..." >&2
  "${crawlgrep[@]}" generate --out "$root" --size "$SIZE" --files "$FILES" --seed 1 --kinds warc >/dev/null
fi
files=("$root"/*.warc.gz)
table=$(ls -d "$root"/cc-index/table/cc-main/warc/crawl=*/subset=warc)
crawl=$(basename "$(dirname "$table")"); crawl=${crawl#crawl=}
printf '[{"id": "%s", "name": "generated"}]' "$crawl" >"$root/collinfo.json"
export XDG_CACHE_HOME="$work/cache"

# The domain whose plain-http HTML pages are closest to 1% of the records.
db=:memory:
selected="url_protocol = 'http' AND content_mime_type = 'text/html'"
tld=$("${crawlgrep[@]}" sql --db "$db" --csv "WITH t AS (SELECT url_host_tld, count(*) FILTER (WHERE $selected) AS html
  FROM read_parquet('$table/*.parquet') GROUP BY 1), n AS (SELECT count(*) AS records FROM read_parquet('$table/*.parquet'))
  SELECT url_host_tld FROM t, n ORDER BY abs(html::DOUBLE / records - 0.01) LIMIT 1" | tail -n 1 | tr -d "\r")
share=$("${crawlgrep[@]}" sql --db "$db" --csv "SELECT round(100.0 * count(*) FILTER (WHERE url_host_tld = '$tld' AND $selected) / count(*), 2)
  FROM read_parquet('$table/*.parquet')" | tail -n 1 | tr -d '\r')

patterns=(-e 'facebook' -e 'jquery[.-]' -e '(?i)privacy policy')
index=("${crawlgrep[@]}" -c --no-db --stats --crawl "$crawl" --cc-root "$root" --collinfo "$root/collinfo.json"
       --where "url_protocol = 'http' AND url_host_tld = '$tld' AND content_mime_type = 'text/html'" "${patterns[@]}")
full=("${crawlgrep[@]}" -c --no-db --stats --url "^http://[^/]*\\.$tld(:[0-9]+)?/" --mime text/html "${patterns[@]}" "${files[@]}")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # prints: seconds, bytes read, matching lines
  local out err start end
  start=$(date +%s.%N); out=$("$@" 2>"$work/stderr"); end=$(date +%s.%N)
  err=$(cat "$work/stderr")
  local read; read=$(sed -n 's/.* tasks\?, \([0-9.,]* [KMG]\?i\?B\) read.*/\1/p' <<<"$err" | head -n 1)
  echo "$(echo "$end - $start" | bc) ${read// /} $(awk -F: '{s += $NF} END {print s + 0}' <<<"$out")"
}

# The two alternate, so a busy minute of a shared machine weighs on both alike.
declare -A secs reads counts times
for ((i = 0; i < RUNS; i++)); do
  for kind in index full; do
    if [ $kind = index ]; then r=$(run "${index[@]}"); else r=$(run "${full[@]}"); fi
    read -r t b c <<<"$r"; times[$kind]+="$t "; reads[$kind]=$b; counts[$kind]=$c
  done
done
for kind in index full; do secs[$kind]=$(printf "%.2f" "$(tr ' ' '\n' <<<"${times[$kind]}" | grep . | median)"); done

cores=$(nproc 2>/dev/null || echo "?")
echo "# Index-guided scan vs full scan with --url/--mime"
echo
records=$("${crawlgrep[@]}" sql --db "$db" --csv "SELECT count(*) FROM read_parquet('$table/*.parquet')" | tail -n 1 | tr -d '\r')
echo "Crawl: ${#files[@]} generated .warc.gz files, $(du -ch "${files[@]}" | tail -n 1 | cut -f1) in all, $records records indexed ($crawl); $cores cores, page cache warm, median of $RUNS."
echo "Selection: url_protocol = 'http' AND url_host_tld = '$tld' AND content_mime_type = 'text/html' ($share% of the records)."
echo
echo "| scan | time | read | matching lines |"
echo "|---|---:|---:|---:|"
echo "| index-guided (\`--where\`) | ${secs[index]} s | ${reads[index]} | ${counts[index]} |"
echo "| full (\`--url\`, \`--mime\`) | ${secs[full]} s | ${reads[full]} | ${counts[full]} |"
echo
echo "Index-guided: $(echo "scale=1; ${secs[full]} / ${secs[index]}" | bc)x less time."
[ "${counts[index]}" = "${counts[full]}" ] && echo "Both count the same lines." || { echo "COUNTS DIFFER" >&2; exit 1; }
