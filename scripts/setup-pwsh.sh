#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET tool into <repo>/.tools so tests can run the ps/ scripts under real pwsh
# on any OS with the .NET SDK. Idempotent: does nothing when .tools/pwsh already runs the pinned version.
#
# The version is pinned on purpose. An unpinned install takes whatever NuGet calls newest, and on
# 2026-11-27 that became 7.7.0, whose platform package was not served here: every fresh clone went red
# before a single test ran. Changing PWSH_VERSION is a deliberate commit, never a side effect of a day.
set -euo pipefail

PWSH_VERSION="7.6.9"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool_dir="$repo_root/.tools"
pwsh_bin="$tool_dir/pwsh"

installed_version() {
  "$pwsh_bin" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true
}

if [ -x "$pwsh_bin" ] && [ "$(installed_version)" = "$PWSH_VERSION" ]; then
  echo "setup-pwsh: PowerShell $PWSH_VERSION already installed at $pwsh_bin"
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
# The tool package is IL-only; real installs are precompiled (see precompile-pwsh.sh for why and what it measured).
exec bash "$repo_root/scripts/precompile-pwsh.sh" "$PWSH_VERSION"
