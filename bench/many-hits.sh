#!/usr/bin/env bash
# A broad pattern over a CC-shaped .warc.gz, in the ways its hits can leave crawlgrep: counted (-c --no-db),
# printed as lines (--no-db, to a file) and as JSON (--json --no-db, to a file), and recorded (the default database, with -c). Prints a markdown table: median
# wall-clock time of RUNS runs, its ratio to -c --no-db, peak RSS (the largest of the runs), and what each printed or
# recorded, then whether the hit counts agree across the modes.
#
# Two floors, measured in the same run, say what the output itself costs whoever writes it: the JSON's bytes copied
# into another file by `cat` (what writing that much costs, with no formatting at all), and DuckDB copying the hit tables
# the scan recorded into a copy of the file's own tables, emptied first (`INSERT ... SELECT`: DuckDB's own fastest way
# in, with the same compression, and no scan at all).
#
#   bench/many-hits.sh            (SIZE=600M of WARC generated once under artifacts/many-hits/; RUNS=5; PATTERN='-i the')
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZE=${SIZE:-600M}
read -r -a pattern <<<"${PATTERN:--i the}"
work=artifacts/many-hits
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
source bench/timing.sh # median

cg=$(bench/publish.sh)
corpus="$work/seed1-$SIZE"
file="$corpus/CC-MAIN-20240517233122-20240518023122-00000.warc.gz"
if [ ! -f "$file" ]; then
  echo "Generating $SIZE of CC-shaped .warc.gz in $corpus..." >&2
  "$cg" generate --compression gzip --kinds warc --size "$SIZE" --no-index --out "$corpus" >&2
fi
cat "$file" >/dev/null # in the page cache for every mode alike

db="$work/hits.duckdb"
run_mode() { # $1 = mode; one run, its output in $work/out; prints "seconds peak_kb"
  rm -f "$db" "$db.wal"
  local args
  case $1 in
    count) args=(-c --no-db) ;;
    lines) args=(--no-db) ;;
    json) args=(--json --no-db) ;;
    db) args=(-c --db "$db") ;;
  esac
  /usr/bin/time -o "$work/time" -f "%e %M" "$cg" "${pattern[@]}" "${args[@]}" --no-progress "$file" >"$work/out" 2>"$work/stderr" || {
    [ $? -eq 1 ] || { cat "$work/stderr" >&2; exit 2; }
  }
  tail -n 1 "$work/time"
}

declare -A secs rss said
for mode in count lines json db; do
  run_mode "$mode" >/dev/null # warm-up
  times=() peak=0
  for _ in $(seq "$RUNS"); do
    read -r s kb < <(run_mode "$mode")
    times+=("$s")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  secs[$mode]=$(printf '%s\n' "${times[@]}" | median)
  rss[$mode]=$((peak / 1024))
  case $mode in
    count) said[$mode]="$(tr -d '\r\n ' <"$work/out") lines" ;;
    lines | json) said[$mode]="$(wc -l <"$work/out" | tr -d ' ') hits" ;;
    db) said[$mode]="$("$cg" sql --db "$db" "SELECT count(*) FROM hits" --csv 2>/dev/null | tail -n 1 | tr -d '\r ') hits, $(tr -d '\r\n ' <"$work/out") lines, a $(awk -v b="$(stat -c %s "$db")" 'BEGIN { printf "%.0f MB", b / 1e6 }') file" ;;
  esac
done

# The floors, on what the last json and db runs left behind.
floor_run() { # $1 = json | db; prints "seconds peak_kb"
  case $1 in
    json) /usr/bin/time -o "$work/time" -f "%e %M" cat "$work/json" >"$work/out" ;;
    db)
      cp "$db" "$work/copy.duckdb" # the same tables, their compression included, emptied and filled again
      /usr/bin/time -o "$work/time" -f "%e %M" "$cg" sql --db "$work/copy.duckdb" \
        "ATTACH '$db' AS recorded (READ_ONLY); DELETE FROM hit_matches; DELETE FROM hit_records;
         INSERT INTO hit_records SELECT * FROM recorded.hit_records; INSERT INTO hit_matches SELECT * FROM recorded.hit_matches; CHECKPOINT" >/dev/null
      rm -f "$work/copy.duckdb" "$work/copy.duckdb.wal" ;;
  esac
  tail -n 1 "$work/time"
}
run_mode json >/dev/null
mv "$work/out" "$work/json"
run_mode db >/dev/null
for f in json db; do
  floor_run "$f" >/dev/null
  times=()
  for _ in $(seq "$RUNS"); do read -r s _ < <(floor_run "$f"); times+=("$s"); done
  secs[floor_$f]=$(printf '%s\n' "${times[@]}" | median)
done
json_bytes=$(stat -c %s "$work/json")
rm -f "$work/json"

ratio() { awk -v a="$1" -v b="${secs[count]}" 'BEGIN { printf "%.2fx", a / b }'; }
echo "# crawlgrep with many hits"
echo
echo "Machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
echo "Input: $(basename "$file") ($(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.0f MB", b / 1e6 }') gzip, $SIZE of WARC), pattern \`${pattern[*]}\`"
echo "Timing: median of $RUNS runs after one warm-up, whole processes (/usr/bin/time), page cache warm; peak RSS is the largest of the runs"
echo
echo "| mode | median time | vs \`-c --no-db\` | peak RSS | output |"
echo "|---|---:|---:|---:|---|"
echo "| \`-c --no-db\` | ${secs[count]} s | 1.00x | ${rss[count]} MB | ${said[count]} |"
echo "| lines, \`--no-db\` (to a file) | ${secs[lines]} s | $(ratio "${secs[lines]}") | ${rss[lines]} MB | ${said[lines]} |"
echo "| \`--json --no-db\` (to a file) | ${secs[json]} s | $(ratio "${secs[json]}") | ${rss[json]} MB | ${said[json]} |"
echo "| \`-c\`, default \`--db\` | ${secs[db]} s | $(ratio "${secs[db]}") | ${rss[db]} MB | ${said[db]} |"
echo "| floor: \`cat\` of the JSON into a file | ${secs[floor_json]} s | $(ratio "${secs[floor_json]}") | | $(awk -v b="$json_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }') written |"
echo "| floor: DuckDB copying the recorded hit tables | ${secs[floor_db]} s | $(ratio "${secs[floor_db]}") | | the same rows, no scan |"
echo
json_hits=${said[json]%% *} db_hits=${said[db]%% *} db_lines=${said[db]#*, } db_lines=${db_lines%%, a *}
if [ "$json_hits" = "$db_hits" ] && [ "${said[lines]%% *}" = "$json_hits" ] && [ "$db_lines" = "${said[count]}" ]; then
  echo "The same $json_hits hits printed and recorded; the same ${said[count]} counted."
else
  echo "COUNTS DIFFER: json $json_hits hits, lines ${said[lines]}, db $db_hits hits; -c ${said[count]}, with the db $db_lines"
  exit 1
fi
