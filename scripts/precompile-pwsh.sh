#!/usr/bin/env bash
# Precompiles (ReadyToRun) the assemblies of the PowerShell that scripts/setup-pwsh.sh installed into .tools.
#
# Why: PowerShell installed as a .NET tool ships IL-only assemblies (the SDK cannot ship ReadyToRun tools,
# dotnet/sdk#10801), so every pwsh start JIT-compiles the engine. The packages people actually run are
# precompiled: pwsh's own releases since PowerShell/PowerShell#12361, and Windows PowerShell 5.1 through NGEN.
# Measured here (pwsh -NoProfile -Command exit, 2-core machine): 0.70 s and 1.05 s of CPU as installed,
# 0.33 s and 0.45 s of CPU precompiled. Without this our tests and `npm run bench` would charge the PowerShell
# transport for a start cost that real installs do not have, and every test that starts pwsh would pay it.
#
# crossgen2 comes from NuGet, in the version the SDK picks for its runtime (a throwaway restore).
# Best effort: an assembly crossgen2 refuses stays as it was, and if crossgen2 cannot be had at all, pwsh
# keeps working unprecompiled and this says so. Idempotent through a marker file.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool_dir="$repo_root/.tools"
marker="$tool_dir/.pwsh-readytorun"
pwsh_version="${1:?usage: precompile-pwsh.sh <pinned PowerShell version>}"

lib_dir="$(ls -d "$tool_dir"/.store/powershell/"$pwsh_version"/powershell/"$pwsh_version"/tools/net*/any/unix 2>/dev/null | head -n 1 || true)"
if [ -z "$lib_dir" ] || [ ! -f "$lib_dir/System.Management.Automation.dll" ]; then
  echo "precompile-pwsh: no PowerShell $pwsh_version under $tool_dir/.store; run scripts/setup-pwsh.sh first" >&2
  exit 1
fi

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$pwsh_version" ]; then
  echo "precompile-pwsh: PowerShell $pwsh_version is already precompiled"
  exit 0
fi

skip() {
  echo "precompile-pwsh: skipped ($1); pwsh works, but starts about twice as slowly" >&2
  exit 0
}

rid="$(dotnet --info 2>/dev/null | sed -n 's/^ *RID: *//p' | head -n 1)"
case "$rid" in
  linux-x64 | linux-arm64 | osx-x64 | osx-arm64) ;;
  *) skip "no crossgen2 target for runtime identifier '${rid:-unknown}'" ;;
esac
target_os="${rid%-*}"
target_arch="${rid#*-}"

# The shared framework pwsh runs on: the newest installed patch of the major version its runtimeconfig names.
fx_major="$(sed -n 's/.*"version": *"\([0-9]*\)\..*/\1/p' "$lib_dir/pwsh.runtimeconfig.json" | head -n 1)"
fx_dir="$(dotnet --list-runtimes | sed -n "s/^Microsoft.NETCore.App \($fx_major\.[0-9.]*\) \[\(.*\)\]$/\2\/\1/p" | sort -V | tail -n 1)"
[ -n "$fx_dir" ] && [ -d "$fx_dir" ] || skip "no Microsoft.NETCore.App $fx_major runtime found"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/restore.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net$fx_major.0</TargetFramework>
    <RuntimeIdentifier>$rid</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <PublishReadyToRun>true</PublishReadyToRun>
  </PropertyGroup>
</Project>
EOF
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore "$work/restore.csproj" >"$work/restore.log" 2>&1 || skip "the crossgen2 package could not be restored: $(tail -n 3 "$work/restore.log" | tr '\n' ' ')"
crossgen="$(node -e '
  const path = require("node:path");
  const assets = require(process.argv[1]);
  const folder = Object.keys(assets.packageFolders ?? {})[0] ?? "";
  for (const framework of Object.values(assets.project.frameworks)) {
    const pack = (framework.downloadDependencies ?? []).find((d) => /^Microsoft\.NETCore\.App\.Crossgen2\./i.test(d.name));
    const version = pack && /^\[([^,\]]+)/.exec(pack.version);
    if (version) { console.log(path.join(folder, pack.name.toLowerCase(), version[1], "tools", "crossgen2")); break; }
  }
' "$work/obj/project.assets.json")"
[ -n "$crossgen" ] && [ -x "$crossgen" ] || skip "crossgen2 not found after the restore"

# Every managed assembly beside pwsh.dll (crossgen2 uses every core itself); each lands under a temporary name first, so an
# interrupted run never leaves a half-written assembly behind.
compiled=0
kept=0
mkdir -p "$work/out"
for dll in "$lib_dir"/*.dll; do
  name="$(basename "$dll")"
  out="$work/out/$name"
  if "$crossgen" -r "$fx_dir/*.dll" -r "$lib_dir/*.dll" --targetos:"$target_os" --targetarch:"$target_arch" -O "$dll" -o "$out" >"$work/$name.log" 2>&1; then
    cp "$out" "$dll.readytorun" && mv -f "$dll.readytorun" "$dll"
    compiled=$((compiled + 1))
  else
    # Reference-only and non-managed files are refused; they keep working as they are.
    kept=$((kept + 1))
  fi
done

if ! "$tool_dir/pwsh" -NoLogo -NoProfile -NonInteractive -Command 'exit 0' >/dev/null 2>&1; then
  echo "precompile-pwsh: pwsh no longer starts after precompiling; reinstall with: rm -rf .tools && npm run setup:pwsh" >&2
  exit 1
fi
echo "$pwsh_version" >"$marker"
echo "precompile-pwsh: precompiled $compiled assemblies of PowerShell $pwsh_version with $(basename "$(dirname "$(dirname "$crossgen")")") crossgen2 ($kept left as they were)"
