#!/usr/bin/env bash
# What the kind of build costs a scan: the Native AOT crawlgrep (bench/publish.sh, what scripts/install.sh installs)
# against the framework-dependent one `dotnet build -c Release` / `dotnet run -c Release` give (JIT, with the
# ReadyToRun copies the Release build leaves), and against that build without them (-p:ReadyToRunOnBuild=false).
#
#   bench/build-kinds.sh [FILE.warc.gz]      (RUNS=7 rounds; SIZE=450M; PATTERN=crawlgrep)
#
# Without FILE, a CC-shaped .warc.gz of SIZE (uncompressed) is generated once under artifacts/build-kinds/ (seed 1,
# a gzip member per record). Each round runs every build once, in turn (the order rotates from round to round), as a
# whole process on all cores: `crawlgrep -c --no-db --type all PATTERN FILE`. Prints, per build, the median wall
# time and CPU time (user + system) of the rounds, and the median over rounds of its ratio to the AOT build's time in
# the same round, so a busy minute slows both sides of a ratio alike. Checks that every build counts the same lines.
# Then the start-up alone: each build scanning the bundled sample (a few MB), mean of 20 runs, in three rounds.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
SIZE=${SIZE:-450M}
PATTERN=${PATTERN:-crawlgrep}
work=artifacts/build-kinds
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is not installed (apt-get install time)" >&2; exit 2; }

aot=$(bench/publish.sh)
echo "Building the framework-dependent crawlgrep without ReadyToRun (dotnet build -p:ReadyToRunOnBuild=false)..." >&2
dotnet build src/CrawlGrep.Cli -c Release -p:ReadyToRunOnBuild=false -nologo -v q -o "$work/fd-jit" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 2; }
echo "Building the framework-dependent crawlgrep (dotnet build -c Release)..." >&2
dotnet build src/CrawlGrep.Cli -c Release -nologo -v q >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 2; }
fd=src/CrawlGrep.Cli/bin/Release/net10.0/crawlgrep

if [ $# -ge 1 ]; then
  file=$1
  [ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
else
  dir="$work/seed1-$SIZE"
  file="$dir/CC-MAIN-20240517233122-20240518023122-00000.warc.gz"
  if [ ! -f "$file" ]; then
    echo "Generating a $SIZE CC-shaped .warc.gz in $dir..." >&2
    "$aot" generate --compression gzip --kinds warc --size "$SIZE" --no-index --out "$dir" >&2
  fi
fi

names=("Native AOT (bench/publish.sh, scripts/install.sh)" "framework-dependent, dotnet build -c Release" "framework-dependent, without ReadyToRun")
bins=("$aot" "$fd" "$work/fd-jit/crawlgrep")
args=(-c --no-db --no-progress --type all -- "$PATTERN" "$file")
n=${#bins[@]}

counts=()
for i in "${!bins[@]}"; do counts+=("$("${bins[$i]}" "${args[@]}" 2>/dev/null | tail -n 1)"); done # also the warm-up
echo "  timing: $RUNS rounds of ${n} builds" >&2
: >"$tmp/times"
for r in $(seq "$RUNS"); do
  for k in $(seq 0 $((n - 1))); do
    i=$(( (k + r) % n ))
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "${bins[$i]}" "${args[@]}" >/dev/null 2>"$tmp/err" || true
    echo "$r $i $(tail -n 1 "$tmp/t")" >>"$tmp/times"
  done
done

size=$(stat -c %s "$file")
echo "# Native AOT against the framework-dependent build"
echo
echo "Machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "Input: $file ($(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') gzip); \`crawlgrep ${args[*]:0:6} $PATTERN FILE\`"
echo "Builds: $(sed 's/ [0-9a-f]\{40\}.*//' artifacts/bench/crawlgrep/.stamp), .NET $(dotnet --version); $RUNS rounds, each build once per round in rotating order, page cache warm"
echo
echo "| build | wall (s) | CPU (s) | wall / AOT | CPU / AOT | lines counted |"
echo "|---|---:|---:|---:|---:|---:|"
med() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in "${!bins[@]}"; do
  wall=$(awk -v i="$i" '$2 == i { print $3 }' "$tmp/times" | med)
  cpu=$(awk -v i="$i" '$2 == i { print $4 + $5 }' "$tmp/times" | med)
  rw=$(awk -v i="$i" '$2 == 0 { w[$1] = $3 } $2 == i { x[$1] = $3 } END { for (r in x) print x[r] / w[r] }' "$tmp/times" | med)
  rc=$(awk -v i="$i" '$2 == 0 { c[$1] = $4 + $5 } $2 == i { x[$1] = $4 + $5 } END { for (r in x) print x[r] / c[r] }' "$tmp/times" | med)
  printf '| %s | %.3f | %.3f | %.2f | %.2f | %s |\n' "${names[$i]}" "$wall" "$cpu" "$rw" "$rc" "${counts[$i]}"
done
echo
if [ "$(printf '%s\n' "${counts[@]}" | sort -u | wc -l)" -eq 1 ]; then echo "Every build counted ${counts[0]} matching lines."; else echo "COUNTS DIFFER: ${counts[*]}"; exit 1; fi

# Start-up: what a build costs before it scans, on the bundled sample (a few MB): mean of 20 runs, 3 rounds in turn.
sample=samples/CC-MAIN-20240517233122-20240518023122-00000.warc.gz
: >"$tmp/start"
for r in 1 2 3; do
  for i in "${!bins[@]}"; do
    t0=$(date +%s%N)
    for k in $(seq 20); do "${bins[$i]}" "${args[@]:0:5}" crawlgrep "$sample" >/dev/null 2>&1 || true; done
    echo "$i $(( ($(date +%s%N) - t0) / 20000 ))" >>"$tmp/start" # microseconds a run
  done
done
echo
echo "Start-up: \`crawlgrep ${args[*]:0:5} crawlgrep $sample\` ($(( $(stat -c %s "$sample") / 1000 )) KB), mean of 20 runs, median of 3 rounds:"
echo
echo "| build | time (ms) |"
echo "|---|---:|"
for i in "${!bins[@]}"; do
  printf '| %s | %.0f |\n' "${names[$i]}" "$(awk -v i="$i" '$1 == i { print $2 / 1000 }' "$tmp/start" | med)"
done
