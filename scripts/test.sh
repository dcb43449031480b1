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

# What the tests use from Debian, installed quietly when missing:
# - ripgrep: the reference of the matcher's differential tests (tests/CrawlGrep.Tests/Matching);
# - libdeflate-tools (and with it libdeflate0): the whole-member gzip engine, tested against zlib-ng;
# - libisal2: ISA-L, the other whole-member gzip engine (used when CRAWLGREP_INFLATE=isal), tested alike;
# - clang and binutils (readelf, objdump, objcopy): the Native AOT Lambda build of tests/CrawlGrep.Tests/Deploy;
# - chromium: a real browser, run headless, that loads and draws the job report page (tests/CrawlGrep.Tests/Jobs).
# If they cannot be installed the run goes on, and the tests that need them fail with a clear
# message when CI=true (elsewhere they pass, saying SKIPPED).
missing=()
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
{ command -v clang >/dev/null 2>&1 || ls /usr/bin/clang-[0-9]* >/dev/null 2>&1; } || missing+=(clang)
{ command -v readelf && command -v objdump && command -v objcopy; } >/dev/null 2>&1 || missing+=(binutils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ command -v libdeflate-gunzip >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0'; } || missing+=(libdeflate-tools)
ldconfig -p 2>/dev/null | grep -q 'libisal\.so\.2' || missing+=(libisal2)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
    echo "installing ${missing[*]} (apt-get install)"
    log=$(mktemp)
    if ! { need_root apt-get update -qq && need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } </dev/null >"$log" 2>&1; then
      echo "warning: could not install ${missing[*]}; the tests that need them will fail if CI=true:" >&2
      tail -n 5 "$log" >&2
    fi
    rm -f "$log"
  else
    echo "warning: ${missing[*]} missing and apt-get (as root or with sudo) is not available; the tests that need them will fail if CI=true" >&2
  fi
fi

# s3rver (npm): the local S3 server of the remote-source tests (tests/CrawlGrep.Tests/Remote).
# Pinned, installed into artifacts/tools when missing; same rule as above if that fails.
s3rver_version=3.7.1
s3rver_bin="$(pwd)/artifacts/tools/node_modules/.bin/s3rver"
if [ ! -x "$s3rver_bin" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "installing s3rver@$s3rver_version (npm install into artifacts/tools)"
    mkdir -p artifacts/tools
    log=$(mktemp)
    if ! npm install --prefix artifacts/tools --no-audit --no-fund --loglevel=error "s3rver@$s3rver_version" </dev/null >"$log" 2>&1; then
      echo "warning: could not install s3rver; the tests that need it will fail if CI=true:" >&2
      tail -n 5 "$log" >&2
    fi
    rm -f "$log"
  else
    echo "warning: s3rver missing and npm is not available; the tests that need it will fail if CI=true" >&2
  fi
fi
[ -x "$s3rver_bin" ] && export CRAWLGREP_S3RVER="$s3rver_bin"

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
  # The failures again, last, with the first lines of their messages: a long run's log is often read from its end.
  if [ "$failed" -ne 0 ]; then
    echo "failed tests:"
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { n = $0; sub(/.*testName="/, "", n); sub(/".*/, "", n); print "  " n; want = 1; next }
      want && /<Message>/ { inmsg = 1; lines = 0; sub(/.*<Message>/, "") }
      inmsg {
        done = sub(/<\/Message>.*/, "")
        gsub(/&lt;/, "<"); gsub(/&gt;/, ">"); gsub(/&quot;/, "\""); gsub(/&apos;/, "\047"); gsub(/&amp;/, "\\&")
        if (lines < 6) print "    " substr($0, 1, 300)
        lines++
        if (done) { inmsg = 0; want = 0 }
      }
      /<StackTrace>/ { trace = 1 }
      trace && /:line [0-9]+/ { t = $0; sub(/^ *(<StackTrace>)? */, "", t); sub(/ in .*\//, " in ", t); print "    " t; trace = 0 }
      /<\/UnitTestResult>/ { inmsg = 0; want = 0; trace = 0 }
    ' "$trx"
  fi
  echo "tests: ${passed:-0} passed, ${failed} failed"
  if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then status=1; fi
else
  echo "tests: 0 passed, 1 failed (no test results written)"
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
