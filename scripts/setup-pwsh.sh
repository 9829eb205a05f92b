#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET global tool into <repo>/.tools so tests can run the ps/ scripts under
# real pwsh on any OS with the .NET SDK. Idempotent: does nothing when .tools/pwsh already runs.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool_dir="$repo_root/.tools"
pwsh_bin="$tool_dir/pwsh"

if [ -x "$pwsh_bin" ] && "$pwsh_bin" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' >/dev/null 2>&1; then
  echo "setup-pwsh: PowerShell already installed at $pwsh_bin ($("$pwsh_bin" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'))"
  exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup-pwsh: the .NET SDK ('dotnet') is not on PATH; install it (https://dot.net) or set SESSION_LOGOFF_PWSH to an existing pwsh" >&2
  exit 1
fi

mkdir -p "$tool_dir"
# The PowerShell NuGet package is the official "PowerShell as a .NET tool" distribution.
# Telemetry and first-run banners are noise in CI.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1
if [ -d "$tool_dir/.store/powershell" ]; then
  dotnet tool update PowerShell --tool-path "$tool_dir"
else
  dotnet tool install PowerShell --tool-path "$tool_dir"
fi

"$pwsh_bin" -NoLogo -NoProfile -NonInteractive -Command '"setup-pwsh: PowerShell " + $PSVersionTable.PSVersion.ToString() + " installed"'
