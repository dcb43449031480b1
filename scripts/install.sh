#!/usr/bin/env bash
# Installs crawlgrep: scripts/install.sh   (PREFIX=DIR chooses where; default ~/.local)
#
# Builds crawlgrep Native AOT for this machine's CPU (native code, no JIT: the fastest build; a scan starts in
# milliseconds) and installs it as PREFIX/bin/crawlgrep, a link to PREFIX/lib/crawlgrep/crawlgrep, which keeps beside
# it what the program loads from its own folder: libduckdb.so (the result store) and queries/ (the named queries).
# The AOT build needs a C toolchain (clang, zlib1g-dev, objcopy from binutils); when one is missing it is installed
# from Debian with apt-get (as root, or through sudo), with libdeflate0 (the faster gzip inflater crawlgrep loads where
# it is installed). Where AOT cannot be built, crawlgrep is installed as a self-contained ReadyToRun build, else as a
# framework-dependent one (it then needs the .NET runtime); the script says which in one line.
# Running it again replaces the installed copy (the build is redone only when the sources changed). Exit 2: the .NET
# SDK is missing or no build succeeded.
set -euo pipefail
cd "${0%/*}/.."

fail() { echo "install: $*" >&2; exit 2; }

dotnet=$(command -v dotnet || true)
for d in "${DOTNET_ROOT:-}" "${HOME:-}/.dotnet"; do
  [ -z "$dotnet" ] && [ -n "$d" ] && [ -x "$d/dotnet" ] && dotnet=$d/dotnet
done
[ -n "$dotnet" ] || fail "dotnet not found: install the .NET 10 SDK (https://dot.net/download) and run this again"
sdk=$("$dotnet" --version 2>/dev/null || true)
[ "${sdk%%.*}" -ge 10 ] 2>/dev/null || fail "the .NET 10 SDK is needed (dotnet --version: ${sdk:-no SDK installed}): https://dot.net/download"

PREFIX=${PREFIX:-${HOME:?HOME is not set; give PREFIX=DIR}/.local}
mkdir -p "$PREFIX/bin" "$PREFIX/lib" || fail "cannot create $PREFIX/bin"
PREFIX=$(cd "$PREFIX" && pwd)

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) fail "unsupported architecture $(uname -m) (x86_64 and aarch64 are)" ;;
esac

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
find_clang() { command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | grep -E '/clang-[0-9]+$' | sort -V | tail -n 1 || true; }
has_zlib() { [ -f /usr/include/zlib.h ] || dpkg -s zlib1g-dev >/dev/null 2>&1; }

# The C toolchain of the AOT build, installed when missing; libdeflate0 along with it (optional: zlib-ng otherwise).
packages=()
[ -n "$(find_clang)" ] || packages+=(clang)
has_zlib || packages+=(zlib1g-dev)
command -v objcopy >/dev/null 2>&1 || packages+=(binutils)
{ ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0'; } || packages+=(libdeflate0)
why_not_aot=""
if [ ${#packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
    echo "installing ${packages[*]} (apt-get install)" >&2
    log=$(mktemp)
    if ! { need_root apt-get update -qq && need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"; } </dev/null >"$log" 2>&1; then
      tail -n 5 "$log" >&2
      why_not_aot="could not install ${packages[*]}"
    fi
    rm -f "$log"
  else
    why_not_aot="${packages[*]} missing and apt-get (as root or with sudo) is not available"
  fi
fi
clang=$(find_clang)
if [ -z "$clang" ] || ! has_zlib || ! command -v objcopy >/dev/null 2>&1; then
  why_not_aot=${why_not_aot:-"no C toolchain (clang, zlib1g-dev, binutils)"}
else
  why_not_aot="" # libdeflate0 alone failing does not stop the AOT build
fi

# publish KIND DESCRIPTION ARGS...: builds into artifacts/install/KIND (its own intermediate folder, so the ordinary build's obj/
# is left alone), unless that build is of the same sources and settings; prints nothing, returns the build's status.
publish() {
  local kind=$1 description=$2; shift 2
  local out="artifacts/install/$kind"
  local stamp
  stamp="$kind $rid $* $(git rev-parse HEAD:src 2>/dev/null || echo none) $( (git status --porcelain -- src queries 2>/dev/null; git diff -- src queries 2>/dev/null) | md5sum | cut -c1-12)"
  if [ -x "$out/crawlgrep" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  echo "Building crawlgrep (Release, $description; a few minutes the first time)..." >&2
  rm -rf "$out"
  local log
  log=$(mktemp)
  if ! "$dotnet" publish src/CrawlGrep.Cli -c Release -r "$rid" "$@" -nologo -v q \
       --artifacts-path "artifacts/install/build-$kind" -o "$out" >"$log" 2>&1; then
    grep -E ': error |error MSB|error NETSDK' "$log" | sort -u | tail -n 10 >&2 || tail -n 10 "$log" >&2
    rm -f "$log"; rm -rf "$out"
    return 1
  fi
  rm -f "$log"
  echo "$stamp" >"$out/.stamp"
}

kind=""
if [ -z "$why_not_aot" ]; then
  if publish aot "Native AOT for this CPU, $(basename "$clang")" -p:PublishAot=true "-p:CppCompilerAndLinker=$(basename "$clang")" -p:IlcInstructionSet=native; then
    kind=aot
  else
    why_not_aot="the Native AOT build failed (errors above)"
  fi
fi
if [ -z "$kind" ]; then
  echo "install: no Native AOT build ($why_not_aot): installing a self-contained ReadyToRun build (JIT start-up, about 1.5x slower on short scans)" >&2
  if publish r2r "self-contained, composite ReadyToRun" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true; then
    kind=r2r
  else
    echo "install: the ReadyToRun build failed too: installing a framework-dependent build (it needs the .NET 10 runtime)" >&2
    publish fd "framework-dependent" --self-contained false || fail "the framework-dependent build failed (errors above)"
    kind=fd
  fi
fi
case "$kind" in
  aot) what="native AOT" ;;
  r2r) what="self-contained ReadyToRun" ;;
  fd) what="framework-dependent" ;;
esac

# Into PREFIX: a fresh copy of the build beside the old one, then swapped in, so a crawlgrep running from the old copy
# is not pulled from under it; debug symbols stay behind.
src="artifacts/install/$kind"
dest="$PREFIX/lib/crawlgrep"
staging="$PREFIX/lib/.crawlgrep.new.$$"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT
(cd "$src" && find . -mindepth 1 -maxdepth 1 ! -name '*.dbg' ! -name '*.pdb' ! -name .stamp -exec cp -R {} "$staging/" \;)
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$staging" "$dest"
rm -rf "$dest.old"
ln -sfn ../lib/crawlgrep/crawlgrep "$PREFIX/bin/crawlgrep"

version=$("$PREFIX/bin/crawlgrep" --version 2>/dev/null | head -n 1) || fail "the installed $PREFIX/bin/crawlgrep does not run"
echo "installed crawlgrep $version ($what) in $PREFIX/bin/crawlgrep"
case ":${PATH:-}:" in
  *":$PREFIX/bin:"*)
    found=$(command -v crawlgrep || true)
    if [ -n "$found" ] && [ "$(readlink -f "$found")" != "$(readlink -f "$PREFIX/bin/crawlgrep")" ]; then
      echo "$PREFIX/bin is on your PATH, but $found comes first there"
    else
      echo "$PREFIX/bin is on your PATH: run crawlgrep"
    fi ;;
  *) echo "$PREFIX/bin is not on your PATH; add it (e.g. in ~/.profile): export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
