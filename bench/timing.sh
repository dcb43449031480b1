# Timing helpers shared by the comparison scripts (sourced, not run). They need RUNS and tmp (a scratch folder).

# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_median SCRIPT: median wall-clock seconds of RUNS runs of `bash SCRIPT`, after one warm-up run
# (hyperfine when installed, else a loop timed with date +%s.%N).
time_median() {
  local script=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$tmp/h.json" "bash $script" >/dev/null 2>&1
    grep -o '"median": *[0-9.e+-]*' "$tmp/h.json" | head -n 1 | sed 's/.*: *//'
  else
    bash "$script" >/dev/null 2>&1 || true
    for _ in $(seq "$RUNS"); do
      local s e
      s=$(date +%s.%N); bash "$script" >/dev/null 2>&1 || true; e=$(date +%s.%N)
      awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
    done | median
  fi
}
