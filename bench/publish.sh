#!/usr/bin/env bash
# Builds the crawlgrep the benchmark scripts time, and prints the path of the executable: a native (AOT) build when
# a clang toolchain is installed (it starts in milliseconds, with no JIT), else a self-contained build ReadyToRun-
# compiled together with the .NET libraries (composite). Rebuilds only when the sources changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/bench/crawlgrep
clang=$(command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | sort -V | tail -n 1 || true)
kind=$([ -n "$clang" ] && echo "native AOT for this CPU ($(basename "$clang"))" || echo "composite ReadyToRun")
stamp="$kind $(git rev-parse HEAD 2>/dev/null || echo none) $( (git status --porcelain -- src 2>/dev/null; git diff -- src 2>/dev/null) | md5sum | cut -c1-12)"
if [ -x "$out/crawlgrep" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then echo "$out/crawlgrep"; exit 0; fi
echo "Building crawlgrep for benchmarks (Release, $kind; a minute or two)..." >&2
rm -rf "$out"
log=$(mktemp)
if [ -n "$clang" ]; then
  args=(-p:PublishAot=true "-p:CppCompilerAndLinker=$(basename "$clang")" -p:IlcInstructionSet=native) # this machine's vector width
else
  args=(--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true)
fi
dotnet publish src/CrawlGrep.Cli -c Release -r linux-x64 "${args[@]}" -nologo -v q -o "$out" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 2; }
rm -f "$log"
echo "$stamp" >"$out/.stamp"
echo "$out/crawlgrep"
