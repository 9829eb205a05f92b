#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET tool into <repo>/.tools so tests can run the ps/ scripts under real pwsh
# on any OS with the .NET SDK, and writes .tools/bin/pwsh, which the tests and the bench run. Idempotent: does
# not reinstall when .tools/pwsh already runs the pinned version.
#
# The version is pinned on purpose. An unpinned install takes whatever NuGet calls newest, and on
# 2026-11-27 that became 7.7.0, whose platform package was not served here: every fresh clone went red
# before a single test ran. Changing PWSH_VERSION is a deliberate commit, never a side effect of a day.
set -euo pipefail

PWSH_VERSION="7.6.9"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool_dir="$repo_root/.tools"
pwsh_bin="$tool_dir/pwsh"

# The version a pwsh reports (the tool's shim by default); empty when it does not run.
installed_version() {
  "${1:-$pwsh_bin}" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true
}

# What the tests and the bench run: .tools/bin/pwsh, PowerShell's own pwsh.dll started directly. The tool's
# `pwsh` is a shim that starts pwsh.dll as a second .NET process (a managed launcher picking the unix/ or win/
# build): ~80 ms more per start, measured spawn-to-ready on a 2-core machine. Real installs (MSI, deb, tar.gz)
# are one process, so the shim would charge the PowerShell transport for something users never pay.
sh_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

write_launcher() {
  local dll dotnet_bin
  dll="$(ls -d "$tool_dir"/.store/powershell/"$PWSH_VERSION"/powershell/"$PWSH_VERSION"/tools/net*/any/unix/pwsh.dll 2>/dev/null | head -n 1 || true)"
  dotnet_bin="$(command -v dotnet || true)"
  if [ -z "$dll" ] || [ -z "$dotnet_bin" ]; then
    echo "setup-pwsh: no pwsh.dll or dotnet found for .tools/bin/pwsh" >&2
    exit 1
  fi
  mkdir -p "$tool_dir/bin"
  # Single-quoted in the launcher, so no character of either path is ever expanded by sh.
  printf '#!/bin/sh\n# Written by scripts/setup-pwsh.sh: PowerShell %s as one process (see there).\nexec %s %s "$@"\n' \
    "$PWSH_VERSION" "$(sh_quote "$dotnet_bin")" "$(sh_quote "$dll")" >"$tool_dir/bin/pwsh.tmp"
  chmod 755 "$tool_dir/bin/pwsh.tmp"
  mv "$tool_dir/bin/pwsh.tmp" "$tool_dir/bin/pwsh"
  local reported
  reported="$(installed_version "$tool_dir/bin/pwsh")"
  if [ "$reported" != "$PWSH_VERSION" ]; then
    echo "setup-pwsh: $tool_dir/bin/pwsh reports '${reported:-nothing}', expected $PWSH_VERSION" >&2
    exit 1
  fi
}

if [ -x "$pwsh_bin" ] && [ "$(installed_version)" = "$PWSH_VERSION" ]; then
  echo "setup-pwsh: PowerShell $PWSH_VERSION already installed at $pwsh_bin"
  write_launcher
  exec bash "$repo_root/scripts/precompile-pwsh.sh" "$PWSH_VERSION"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup-pwsh: the .NET SDK ('dotnet') is not on PATH; install it (https://dot.net) or set SESSION_LOGOFF_PWSH to an existing pwsh" >&2
  exit 1
fi

mkdir -p "$tool_dir"
# Telemetry and first-run banners are noise in CI.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1
rm -f "$tool_dir/.pwsh-readytorun"
if [ -d "$tool_dir/.store/powershell" ]; then
  # Another version is there (an older pin): replace it rather than letting `update` pick the newest.
  dotnet tool uninstall PowerShell --tool-path "$tool_dir" >/dev/null
fi
dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$tool_dir"

actual="$(installed_version)"
if [ "$actual" != "$PWSH_VERSION" ]; then
  echo "setup-pwsh: expected PowerShell $PWSH_VERSION, but $pwsh_bin reports '${actual:-nothing}'" >&2
  exit 1
fi
echo "setup-pwsh: PowerShell $actual installed"
write_launcher
# The tool package is IL-only; real installs are precompiled (see precompile-pwsh.sh for why and what it measured).
exec bash "$repo_root/scripts/precompile-pwsh.sh" "$PWSH_VERSION"
