#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first, then prints
# "tests: N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Real archives used by the conformance tests live beside the repository.
if [ -z "${CRAWLGREP_REAL_DATA:-}" ] && [ -d ../shared/data/real ]; then
  export CRAWLGREP_REAL_DATA="$(cd ../shared/data/real && pwd)"
fi

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build CrawlGrep.sln -c Release -nologo -v q || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }
dotnet test tests/CrawlGrep.Tests -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results"
status=$?

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(( ${failed:-0} + ${errors:-0} ))
  echo "tests: ${passed:-0} passed, ${failed} failed"
  if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then status=1; fi
else
  echo "tests: 0 passed, 1 failed (no test results written)"
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
