#!/usr/bin/env bash
# Builds the crawlgrep the benchmark scripts time: Release, self-contained, ReadyToRun-compiled together with
# the .NET libraries (composite), so a run pays no JIT for start-up code. Prints the path of the executable.
# Rebuilds only when the sources changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/bench/crawlgrep
stamp="$(git rev-parse HEAD 2>/dev/null || echo none) $( (git status --porcelain -- src 2>/dev/null; git diff -- src 2>/dev/null) | md5sum | cut -c1-12)"
if [ -x "$out/crawlgrep" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then echo "$out/crawlgrep"; exit 0; fi
echo "Building crawlgrep for benchmarks (Release, self-contained, composite ReadyToRun; a minute or two)..." >&2
rm -rf "$out"
log=$(mktemp)
dotnet publish src/CrawlGrep.Cli -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -nologo -v q -o "$out" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 2; }
rm -f "$log"
echo "$stamp" >"$out/.stamp"
echo "$out/crawlgrep"
