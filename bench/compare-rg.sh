#!/usr/bin/env bash
# End-to-end comparison of crawlgrep and ripgrep on one uncompressed WARC.
#
#   bench/compare-rg.sh [FILE.warc]        (RUNS=5 by default: repetitions per command)
#
# Without FILE, a ~200 MB plain WARC is generated once (seed 1) under artifacts/compare-rg/.
# For each pattern it times `crawlgrep -c --no-db --type all` and `rg -c` (hyperfine when present,
# else a loop timed with date +%s.%N), prints a markdown table of the medians and the
# crawlgrep/rg ratio, and says whether the two line counts agree.
#
# Counting is not quite the same on both sides: crawlgrep counts matching lines inside record
# payloads (with --type all: of every record, HTTP heads taken off), rg counts matching lines of
# the whole file, WARC and HTTP headers included. The patterns are body text, and the rg lines
# that are WARC/HTTP header lines (CRLF lines shaped 'Name: value', 'WARC/1.x', a status or a
# request line) are counted apart, so the counts agree exactly when crawlgrep = rg - those.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
work=artifacts/compare-rg
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cores=$(nproc 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "# crawlgrep vs ripgrep"
echo
echo "Machine: ${cpu:-unknown CPU}, $cores cores, $(uname -sr)"

command -v rg >/dev/null || { echo "rg (ripgrep) is not installed: apt-get install ripgrep" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "dotnet is not installed" >&2; exit 2; }

crawlgrep=("$(bench/publish.sh)")

if [ $# -ge 1 ]; then
  file=$1
  [ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
  case "$file" in *.gz|*.zst) echo "give an uncompressed WARC (rg would not read it as crawlgrep does)" >&2; exit 2;; esac
else
  dir="$work/seed1-200M"
  file="$dir/CC-MAIN-20240517233122-20240518023122-00000.warc"
  if [ ! -f "$file" ]; then
    echo "Generating a 200 MiB plain WARC in $dir..." >&2
    "${crawlgrep[@]}" generate --compression plain --kinds warc --size 200M --out "$dir" >&2
  fi
fi
size=$(stat -c %s "$file")
echo "Input: $file ($(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"
echo "Tools: $(rg --version | head -n 1), crawlgrep Release build ($(sed 's/ [0-9a-f]\{40\}.*//' artifacts/bench/crawlgrep/.stamp)) on .NET $(dotnet --version)"
if command -v hyperfine >/dev/null; then timer=hyperfine; else timer="bash loop (date +%s.%N)"; fi
echo "Timing: median of $RUNS runs after one warm-up run, with $timer; crawlgrep's time includes its start-up"
echo

# 1000 terms for -F -f: 800 words of the bodies (LF lines) that never occur in a CRLF line (headers,
# warcinfo and metadata payloads) of the first 32 MB, picked with a fixed seed, plus 200 absent strings.
head -c 32000000 "$file" | rg -a --no-config -N '\r$' | rg -a --no-config -o -N '\p{L}{4,14}' | sort -u >"$tmp/header-words"
head -c 32000000 "$file" | rg -a --no-config -N -v '\r$' | rg -a --no-config -o -N '\p{L}{4,14}' | sort -u >"$tmp/body-words"
comm -23 "$tmp/body-words" "$tmp/header-words" \
  | awk 'BEGIN { srand(1) } { printf "%.9f\t%s\n", rand(), $0 }' | sort -k1,1 | cut -f2- | awk 'NR <= 800' >"$tmp/terms.txt"
awk 'BEGIN { srand(2); a = "abcdefghijklmnopqrstuvwxyz0123456789";
             for (i = 0; i < 200; i++) { s = "qx"; for (j = 0; j < 10; j++) s = s substr(a, int(rand() * 36) + 1, 1); print s } }' >>"$tmp/terms.txt"
terms=$(wc -l <"$tmp/terms.txt")

# name | pattern arguments (shared by both tools)
names=("literal 'crawlgrep'" "-i 'lorem ipsum'" "8-way alternation" "regex with a required literal" "-F -f $terms terms")
args=(
  "-e crawlgrep"
  "-i -e 'lorem ipsum'"
  "-e 'coffee|bread|cheese|village|mountain|island|harbor|bridge'"
  "-e '\\+1-555-01\\d\\d'"
  "-F -f $(printf '%q' "$tmp/terms.txt")"
)
header_shape='^([A-Za-z0-9-]+: .*|WARC/1\.[01]|HTTP/1\.[01] .*|[A-Z]+ \S+ HTTP/1\.[01])\r$'

. bench/timing.sh

rows=()
notes=()
for i in "${!names[@]}"; do
  name=${names[$i]}
  a=${args[$i]}
  printf '%s\n' "$(printf '%q ' "${crawlgrep[@]}") -c --no-db --no-progress --type all $a -- $(printf '%q' "$file")" >"$tmp/cg.sh"
  printf '%s\n' "rg --no-config -a -c $a -- $(printf '%q' "$file")" >"$tmp/rg.sh"
  echo "  timing: $name" >&2
  cg_t=$(time_median "$tmp/cg.sh")
  rg_t=$(time_median "$tmp/rg.sh")
  cg_n=$(bash "$tmp/cg.sh" 2>/dev/null || true); cg_n=${cg_n:-0}
  rg_n=$(bash "$tmp/rg.sh" 2>/dev/null || true); rg_n=${rg_n:-0}
  hdr_n=$( (bash -c "rg --no-config -a $a -- $(printf '%q' "$file")" 2>/dev/null || true) | rg -a --no-config -c "$header_shape" || true); hdr_n=${hdr_n:-0}
  ratio=$(awk -v c="$cg_t" -v r="$rg_t" 'BEGIN { if (r > 0) printf "%.1f", c / r; else print "-" }')
  if [ "$cg_n" = "$rg_n" ]; then agree="yes"
  elif [ "$cg_n" -eq $((rg_n - hdr_n)) ]; then agree="yes, after rg's $hdr_n header lines"
  else agree="**no**"; notes+=("$name: crawlgrep $cg_n lines, rg $rg_n of which $hdr_n are header lines: $((rg_n - hdr_n - cg_n)) unexplained")
  fi
  rows+=("| $name | $(printf '%.3f' "$cg_t") | $(printf '%.3f' "$rg_t") | $ratio | $cg_n | $rg_n | $hdr_n | $agree |")
done

echo "| pattern | crawlgrep (s) | rg (s) | crawlgrep/rg | crawlgrep lines | rg lines | rg header lines | counts agree |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "crawlgrep: \`crawlgrep -c --no-db --type all PATTERN FILE\` counts matching lines of record payloads;"
echo "rg: \`rg -c -a PATTERN FILE\` counts matching lines of the whole file. 'rg header lines' are rg's matching"
echo "lines shaped like a WARC or HTTP header line (CRLF-terminated 'Name: value', 'WARC/1.x', status or request"
echo "line): crawlgrep does not search headers, so the counts agree when crawlgrep = rg - header lines."
if [ ${#notes[@]} -gt 0 ]; then
  echo
  echo "Counts that do not agree:"
  printf -- '- %s\n' "${notes[@]}"
  exit 1
fi
