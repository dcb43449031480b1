#!/usr/bin/env bash
# End-to-end comparison of crawlgrep and ripgrep on one uncompressed WARC.
#
#   bench/compare-rg.sh [FILE.warc]        (RUNS=5 by default: repetitions per command)
#
# Without FILE, a plain WARC of SIZE (default 200M; the targets are measured on 1200M) is generated once
# (seed 1) under artifacts/compare-rg/. ROWS=REGEX times only the rows whose name matches it. LIMIT=SECONDS
# stops a command that runs longer (ripgrep 13 takes minutes for -w with a large word list): its time is
# then shown as >LIMIT, from the warm-up run alone, and its line count is not compared.
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
  size_arg=${SIZE:-200M}
  dir="$work/seed1-$size_arg"
  file="$dir/CC-MAIN-20240517233122-20240518023122-00000.warc"
  if [ ! -f "$file" ]; then
    echo "Generating a $size_arg plain WARC in $dir..." >&2
    "${crawlgrep[@]}" generate --compression plain --kinds warc --size "$size_arg" --out "$dir" >&2
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

# Common words for -w: the most frequent words (3 to 14 letters) of the bodies (LF lines) of the first 128 MB.
head -c 128000000 "$file" | rg -a --no-config -N -v '\r$' | rg -a --no-config -o -N '\b\p{L}{3,14}\b' \
  | sort | uniq -c | sort -k1,1nr -k2,2 | awk '{ print $2 }' >"$tmp/words-by-frequency"
head -n 1000 "$tmp/words-by-frequency" >"$tmp/words-1000.txt"
head -n 10000 "$tmp/words-by-frequency" >"$tmp/words-10000.txt"
# A case-blind set: 8 common words in upper case, none with k or s (-i gives those non-ASCII forms) and none seen
# in a header line (their lines there would be counted apart by shape, though some are payload lines).
rg --no-config -v '[ksKS]' "$tmp/words-1000.txt" | rg --no-config '^[a-z]+$' | sort | comm -23 - <(tr 'A-Z' 'a-z' <"$tmp/header-words" | sort -u) \
  | awk 'NR > 20 && NR <= 28 { printf "%s%s", sep, toupper($0); sep = "|" }' >"$tmp/upper-set"

# name | pattern arguments (shared by both tools)
names=("literal 'crawlgrep'" "-i 'lorem ipsum'" "8-way alternation" "regex with a required literal" "-F -f $terms terms"
  "-i 8-word set" "-w -f 1,000 common words" "-w -f 10,000 common words")
args=(
  "-e crawlgrep"
  "-i -e 'lorem ipsum'"
  "-e 'coffee|bread|cheese|village|mountain|island|harbor|bridge'"
  "-e '\\+1-555-01\\d\\d'"
  "-F -f $(printf '%q' "$tmp/terms.txt")"
  "-i -e '$(cat "$tmp/upper-set")'"
  "-w -f $(printf '%q' "$tmp/words-1000.txt")"
  "-w -f $(printf '%q' "$tmp/words-10000.txt")"
)
header_shape='^([A-Za-z0-9-]+: .*|WARC/1\.[01]|HTTP/1\.[01] .*|[A-Z]+ \S+ HTTP/1\.[01])\r$'

. bench/timing.sh

# time_limited SCRIPT: as time_median, or ">LIMIT" when the warm-up run alone takes longer than LIMIT seconds.
time_limited() {
  if [ -n "${LIMIT:-}" ]; then
    local s e rc=0
    s=$(date +%s.%N)
    timeout "$LIMIT" bash "$1" >/dev/null 2>&1 || rc=$?
    if [ "$rc" -eq 124 ]; then echo ">$LIMIT"; return; fi
    e=$(date +%s.%N)
    if awk -v s="$s" -v e="$e" -v l="$LIMIT" 'BEGIN { exit !(e - s > l / (RUNS + 1)) }'; then
      awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }' # too slow to repeat within the limit
      return
    fi
  fi
  time_median "$1"
}

rows=()
notes=()
for i in "${!names[@]}"; do
  name=${names[$i]}
  if [ -n "${ROWS:-}" ] && ! [[ $name =~ $ROWS ]]; then continue; fi
  a=${args[$i]}
  printf '%s\n' "$(printf '%q ' "${crawlgrep[@]}") -c --no-db --no-progress --type all $a -- $(printf '%q' "$file")" >"$tmp/cg.sh"
  printf '%s\n' "rg --no-config -a -c $a -- $(printf '%q' "$file")" >"$tmp/rg.sh"
  echo "  timing: $name" >&2
  cg_t=$(time_limited "$tmp/cg.sh")
  rg_t=$(time_limited "$tmp/rg.sh")
  cg_n=$(bash "$tmp/cg.sh" 2>/dev/null || true); cg_n=${cg_n:-0}
  if [[ $rg_t == ">"* ]]; then
    ratio="<$(awk -v c="$cg_t" -v r="${rg_t#>}" 'BEGIN { printf "%.2f", c / r }')"
    rows+=("| $name | $(printf '%.3f' "$cg_t") | $rg_t | $ratio | $cg_n | - | - | not compared (rg past the limit) |")
    continue
  fi
  rg_n=$(bash "$tmp/rg.sh" 2>/dev/null || true); rg_n=${rg_n:-0}
  hdr_n=$( (bash -c "rg --no-config -a $a -- $(printf '%q' "$file")" 2>/dev/null || true) | rg -a --no-config -c "$header_shape" || true); hdr_n=${hdr_n:-0}
  ratio=$(awk -v c="$cg_t" -v r="$rg_t" 'BEGIN { if (r > 0) printf "%.2f", c / r; else print "-" }')
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
