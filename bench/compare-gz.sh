#!/usr/bin/env bash
# End-to-end comparison on a Common-Crawl-shaped .warc.gz: crawlgrep against what one could piece together.
#
#   bench/compare-gz.sh [FILE.warc.gz]      (RUNS=5 by default: repetitions per command; PATTERN=crawlgrep)
#
# Without FILE, a 400 MiB (uncompressed) .warc.gz is generated once (seed 1, one gzip member per record) under
# artifacts/compare-gz/. Times, each as the median of RUNS runs after a warm-up run (page cache warm):
#   crawlgrep -c PATTERN            all cores (byte-range tasks)
#   crawlgrep -c -j 1 PATTERN       one core
#   rg -z -c PATTERN                ripgrep decompressing on its own
#   zgrep -c PATTERN
#   libdeflate-gunzip -c | rg -c    the fastest pipe (libdeflate-tools)
#   libdeflate-gunzip -c >/dev/null decode only: the speed of inflate, the floor of any scan on one core
# and prints the medians, the ratios the targets are stated in, and whether every command counted the same lines.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PATTERN=${PATTERN:-crawlgrep}
work=artifacts/compare-gz
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in rg zgrep libdeflate-gunzip; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install ripgrep gzip libdeflate-tools)" >&2; exit 2; }
done
cg=$(bench/publish.sh)

if [ $# -ge 1 ]; then
  file=$1
  [ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
else
  dir="$work/seed1-400M"
  file="$dir/CC-MAIN-20240517233122-20240518023122-00000.warc.gz"
  if [ ! -f "$file" ]; then
    echo "Generating a 400 MiB CC-shaped .warc.gz in $dir..." >&2
    "$cg" generate --kinds warc --size 400M --out "$dir" >&2
  fi
fi
size=$(stat -c %s "$file")
plain=$(libdeflate-gunzip -c "$file" | wc -c)

echo "# crawlgrep vs rg -z, zgrep and a libdeflate pipe"
echo
echo "Machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores, $(uname -sr)"
echo "Input: $file ($(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') gzip, $(awk -v b="$plain" 'BEGIN { printf "%.1f MB", b / 1e6 }') of WARC); pattern '$PATTERN'"
echo "Tools: $(rg --version | head -n 1), $(zgrep --version | head -n 1), libdeflate-gunzip $(libdeflate-gunzip -V 2>&1 | head -n 1 | grep -o '[0-9][0-9.]*' | head -n 1), crawlgrep $($cg --version | head -n 1) ($(sed 's/ [0-9a-f]\{40\}.*//' artifacts/bench/crawlgrep/.stamp), .NET $(dotnet --version))"
echo "Timing: median of $RUNS runs after one warm-up run, page cache warm"
echo

q() { printf '%q' "$1"; }
names=("crawlgrep -c ($(nproc) cores)" "crawlgrep -c -j 1 (one core)" "rg -z -c" "zgrep -c" "libdeflate-gunzip -c | rg -c" "libdeflate-gunzip -c > /dev/null (decode only)")
cmds=(
  "$(q "$cg") -c --no-db --no-progress --type all -- $(q "$PATTERN") $(q "$file")"
  "$(q "$cg") -c --no-db --no-progress --type all -j 1 -- $(q "$PATTERN") $(q "$file")"
  "rg --no-config -a -z -c -- $(q "$PATTERN") $(q "$file")"
  "zgrep -a -c -- $(q "$PATTERN") $(q "$file")"
  "libdeflate-gunzip -c $(q "$file") | rg --no-config -a -c -- $(q "$PATTERN")"
  "libdeflate-gunzip -c $(q "$file") > /dev/null"
)

. bench/timing.sh

times=(); counts=()
for i in "${!names[@]}"; do
  printf '%s\n' "${cmds[$i]}" >"$tmp/c$i.sh"
  echo "  timing: ${names[$i]}" >&2
  times+=("$(time_median "$tmp/c$i.sh")")
  if [ "$i" -lt 5 ]; then counts+=("$(bash "$tmp/c$i.sh" 2>/dev/null | tail -n 1)"); else counts+=("-"); fi
done

decode=${times[5]}
echo "| command | median (s) | MB/s of WARC | lines counted |"
echo "|---|---:|---:|---:|"
for i in "${!names[@]}"; do
  printf '| %s | %.3f | %s | %s |\n' "${names[$i]//|/\\|}" "${times[$i]}" "$(awk -v b="$plain" -v t="${times[$i]}" 'BEGIN { printf "%.0f", b / 1e6 / t }')" "${counts[$i]}"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| target | measured | met |"
echo "|---|---:|---|"
r1=$(ratio "${times[4]}" "${times[0]}"); r2=$(ratio "${times[2]}" "${times[0]}"); r3=$(ratio "$decode" "${times[1]}")
printf '| crawlgrep >= 2x faster than libdeflate-gunzip -c \\| rg -c | %sx | %s |\n' "$r1" "$(awk -v r="$r1" 'BEGIN { print (r >= 2 ? "yes" : "no") }')"
printf '| crawlgrep >= 5x faster than rg -z -c | %sx | %s |\n' "$r2" "$(awk -v r="$r2" 'BEGIN { print (r >= 5 ? "yes" : "no") }')"
printf '| one-core scan >= 90%% of decode-only speed | %s%% | %s |\n' "$(awk -v r="$r3" 'BEGIN { printf "%.0f", r * 100 }')" "$(awk -v r="$r3" 'BEGIN { print (r >= 0.9 ? "yes" : "no") }')"
echo
if [ "$(printf '%s\n' "${counts[@]:0:5}" | sort -u | wc -l)" -eq 1 ]; then
  echo "Every command counted ${counts[0]} matching lines."
else
  echo "The counts DISAGREE: ${counts[*]:0:5}"
  exit 1
fi
