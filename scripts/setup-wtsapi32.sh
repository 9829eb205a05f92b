#!/usr/bin/env bash
# Builds the wtsapi32 test double (test/doubles/native/wtsapi32.c) into <repo>/.tools/wtsapi32/libwtsapi32.so.
# pwsh finds it for DllImport("wtsapi32") when LD_LIBRARY_PATH names that folder (test/helpers/wts.ts sets it).
# Needs a C11 compiler as `cc` (or $CC) on Linux x86-64/arm64; elsewhere it skips, and the tests that need the
# double skip with the reason. Idempotent: rebuilds only when the source or this script is newer.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$repo_root/test/doubles/native/wtsapi32.c"
bridge="$repo_root/test/doubles/lib/wts-bridge.js"
out_dir="$repo_root/.tools/wtsapi32"
out="$out_dir/libwtsapi32.so"

if [ "$(uname -s)" != "Linux" ]; then
  echo "setup-wtsapi32: not Linux ($(uname -s)): the wtsapi32 double is not built; its tests skip"
  exit 0
fi
compiler="${CC:-cc}"
if ! command -v "$compiler" >/dev/null 2>&1; then
  echo "setup-wtsapi32: no C compiler ('$compiler'): install gcc or clang (e.g. apt-get install gcc) or set CC" >&2
  exit 1
fi
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "${BASH_SOURCE[0]}" ]; then
  echo "setup-wtsapi32: $out is up to date"
  exit 0
fi
mkdir -p "$out_dir"
# The bridge's absolute path is built in; SESSION_LOGOFF_WTS_BRIDGE overrides it at run time.
"$compiler" -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC \
  -DWTS_BRIDGE_DEFAULT="\"$bridge\"" -o "$out.tmp" "$src" -lpthread
mv "$out.tmp" "$out"
echo "setup-wtsapi32: built $out"
