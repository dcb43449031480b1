#!/usr/bin/env bash
# Peak memory (RSS) of a crawlgrep scan, on the inputs that could make a worker hold too much:
#   1. a generated CC-shaped .warc.gz of 2 GB (uncompressed), scanned with 2 cores (-j 2, default split);
#   2. a .warc.gz holding one record with a 1 GB payload made of text lines;
#   3. the same with the 1 GB payload as ONE line (no newline at all).
# Each scan must also find the literal planted near the end of the big record (it checks the count).
#
#   bench/memory.sh            (inputs are made once under artifacts/memory/; LIMIT_MB=256 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

limit=${LIMIT_MB:-256}
work=artifacts/memory
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

cg=$(bench/publish.sh)

big="$work/seed1-2G/CC-MAIN-20240517233122-20240518023122-00000.warc.gz"
if [ ! -f "$big" ]; then
  echo "Generating a 2 GB CC-shaped .warc.gz..." >&2
  "$cg" generate --kinds warc --size 2G --out "$work/seed1-2G" >&2
fi

# One record with a 1 GB payload: lines of 300 bytes, or one single line; "needle-at-the-end" planted 1 KB before its end.
one_record() { # $1 = output file, $2 = "lines" or "one-line"
  local out=$1 shape=$2 body=$((1 << 30))
  [ -f "$out" ] && return
  echo "Generating $out (one record, 1 GB payload, $shape)..." >&2
  {
    printf 'WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n'
    printf 'WARC-Date: 2024-05-18T00:00:00Z\r\nWARC-Target-URI: http://example.com/huge\r\nContent-Type: text/plain\r\n'
    printf 'Content-Length: %d\r\n\r\n' "$body"
    if [ "$shape" = one-line ]; then head -c $((body - 1024)) /dev/zero | tr '\0' 'a'
    else { yes "$(head -c 299 /dev/zero | tr '\0' 'a')" || true; } | head -c $((body - 1024)); fi # yes ends on SIGPIPE
    printf 'needle-at-the-end'; head -c $((1024 - 17)) /dev/zero | tr '\0' 'c'
    printf '\r\n\r\n'
  } | gzip -1 >"$out.tmp"
  mv "$out.tmp" "$out"
}
lines="$work/one-record-lines.warc.gz"
oneline="$work/one-record-one-line.warc.gz"
one_record "$lines" lines
one_record "$oneline" one-line

measure() { # $1 = label, rest = crawlgrep arguments; prints "label | peak MB | seconds | output"
  local label=$1; shift
  /usr/bin/time -o "$work/time" -f "%M %e" "$cg" "$@" 2>"$work/stderr" >"$work/stdout" || true
  local out kb secs
  out=$(tail -n 1 "$work/time")
  kb=${out% *} secs=${out#* }
  printf '| %s | %d | %s | %s |\n' "$label" $((kb / 1024)) "$secs" "$(tr '\n' ' ' <"$work/stdout" | sed 's/ *$//')"
  echo $((kb / 1024))
}

echo "# crawlgrep peak memory"
echo
echo "Machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores; limit $limit MB"
echo
echo "| input | peak RSS (MB) | seconds | crawlgrep -c output |"
echo "|---|---:|---:|---|"
worst=0
while IFS= read -r row; do
  case "$row" in \|*) echo "$row" ;; *) [ "$row" -gt "$worst" ] && worst=$row ;; esac
done < <(
  measure "2 GB CC-shaped .warc.gz, -j 2" -c --no-db --no-progress -j 2 crawlgrep "$big"
  measure "one 1 GB record, text lines" -c --no-db --no-progress -j 2 needle-at-the-end "$lines"
  measure "one 1 GB record, one line" -c --no-db --no-progress -j 2 needle-at-the-end "$oneline"
)
echo
if [ "$worst" -le "$limit" ]; then echo "peak $worst MB: within the $limit MB limit"; else echo "peak $worst MB: OVER the $limit MB limit"; exit 1; fi
