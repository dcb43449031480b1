#!/usr/bin/env bash
# Publishes crawlgrep Native AOT for AWS Lambda (provided.al2023): scripts/publish-lambda.sh [x86_64|arm64] [OUTDIR]
# (default OUTDIR: artifacts/lambda/ARCH).
# The build targets the architecture's generic instruction set (Lambda's CPUs vary), has no ICU (invariant
# globalization) and no debug symbols in the executable. Prints the path of the executable; then
# `OUTDIR/crawlgrep lambda package` (or `crawlgrep lambda package --bootstrap OUTDIR/crawlgrep`) makes the zip.
# Installs the C toolchain from Debian when missing; arm64 is cross-compiled with clang against Debian's arm64 cross
# packages. Exit 2: the toolchain is missing or the build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-x86_64}
case "$arch" in
  x86_64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "publish-lambda: unknown architecture '$arch' (use x86_64 or arm64)" >&2; exit 2 ;;
esac
out=${2:-artifacts/lambda/$arch}
host=$(uname -m)

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
find_clang() { command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | grep -E '/clang-[0-9]+$' | sort -V | tail -n 1 || true; }

# What the link needs: clang (the ILCompiler's default linker driver) and objcopy (to strip the executable); across
# architectures also the target's C runtime and glibc (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross) and its
# binutils (linker, objcopy).
packages=()
[ -n "$(find_clang)" ] || packages+=(clang)
command -v objcopy >/dev/null 2>&1 || packages+=(binutils)
cross=false
if { [ "$arch" = arm64 ] && [ "$host" != aarch64 ]; } || { [ "$arch" = x86_64 ] && [ "$host" != x86_64 ]; }; then
  cross=true
  if [ "$arch" = arm64 ]; then triple=aarch64-linux-gnu; else triple=x86_64-linux-gnu; fi
  command -v "$triple-gcc" >/dev/null 2>&1 || packages+=("gcc-$triple")
  [ -f "/usr/$triple/lib/libc.so.6" ] || packages+=("libc6-dev-${arch/x86_64/amd64}-cross")
  command -v "$triple-objcopy" >/dev/null 2>&1 || packages+=("binutils-$triple")
fi
if [ ${#packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
    echo "installing ${packages[*]} (apt-get install)" >&2
    log=$(mktemp)
    if ! { need_root apt-get update -qq && need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"; } </dev/null >"$log" 2>&1; then
      tail -n 5 "$log" >&2; rm -f "$log"
      echo "publish-lambda: cannot build for $arch here: could not install ${packages[*]}" >&2; exit 2
    fi
    rm -f "$log"
  else
    echo "publish-lambda: cannot build for $arch here: ${packages[*]} missing and apt-get (as root or with sudo) is not available" >&2; exit 2
  fi
fi
clang=$(find_clang)
[ -n "$clang" ] || { echo "publish-lambda: cannot build for $arch here: no clang after installing it" >&2; exit 2; }

args=(-p:PublishAot=true "-p:CppCompilerAndLinker=$(basename "$clang")" -p:StripSymbols=true
      -p:InvariantGlobalization=true -p:DebuggerSupport=false -p:EventSourceSupport=false)
if $cross; then
  # The ILCompiler passes clang --target=TRIPLE; clang finds the target's crt files and libgcc in Debian's gcc-cross
  # tree and its glibc under /usr/TRIPLE, and links with TRIPLE-ld (bfd); the strip step needs the target's objcopy.
  args+=("-p:ObjCopyName=$triple-objcopy")
fi

# Rebuilt only when the sources or the build's settings changed since the last publish into OUTDIR.
stamp="$arch ${args[*]} $(git rev-parse HEAD:src 2>/dev/null || echo none) $( (git status --porcelain -- src 2>/dev/null; git diff -- src 2>/dev/null) | md5sum | cut -c1-12)"
if [ -x "$out/crawlgrep" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then echo "$out/crawlgrep"; exit 0; fi

echo "Publishing crawlgrep for Lambda ($arch, Native AOT, $(basename "$clang"); a minute or two)..." >&2
rm -rf "$out"
log=$(mktemp)
# Its own intermediate folder, so this build never disturbs the obj/ of the ordinary (JIT) build.
if ! dotnet publish src/CrawlGrep.Cli -c Release -r "$rid" "${args[@]}" -nologo -v q \
     --artifacts-path "artifacts/lambda/build-$arch" -o "$out" >"$log" 2>&1; then
  grep -E 'error|warning MSB' "$log" | sort -u | tail -n 20 >&2 || tail -n 20 "$log" >&2
  rm -f "$log"
  echo "publish-lambda: the $arch build failed (see the errors above)" >&2; exit 2
fi
rm -f "$log"
echo "$stamp" >"$out/.stamp"
echo "$out/crawlgrep"
