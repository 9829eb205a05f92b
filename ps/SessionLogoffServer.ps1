<#
.SYNOPSIS
  session-logoff's PowerShell transport: one long-lived pwsh / powershell.exe that runs calls side by side.

.DESCRIPTION
  Started as `-File SessionLogoffServer.ps1 -PoolSize <n>`. It dot-sources SessionLogoff.ps1 once, then owns
  its stdin and stdout with a line protocol of its own (no REPL, no prompt, no delimiter echo):

    stdin   call <id> <base64 of UTF-8 JSON>     query/logoff/message/dateOrder: validated here, program run
                                                 asynchronously; wtsProbe without wtsapi32: answered here;
                                                 anything else: Invoke-SlCommand in a free runspace
            cancel <id>                          stop that call (its native program is killed with it)
    stdout  @@sl-ready <base64 JSON {pid, version, poolSize}>     once, when calls can be sent
            @@sl-reply <id> <base64 JSON envelope>                 once per call, cancelled ones included

  Why not node-powershell's invoke(): it frames replies by echoing a random delimiter through the REPL and
  scanning only the tail of the latest chunk for it; output that arrives after the delimiter in the same chunk
  (pwsh emits terminal-mode escapes when it reads commands from a pipe) hides it, and the call waits forever
  while pwsh sits idle (child-shell issue 94; 2 of 400 calls here). Here every reply is one self-contained line
  carrying its call's id, so nothing can be split, merged or misattributed, and calls run in a RunspacePool.

  The payload reaches the runspace as an argument (data), never as script text. Ids are digits only.
  Unverified: Windows PowerShell 5.1 (reading the cast Task's AsyncWaitHandle, RunspacePool stop of a native
  program); both are verified under pwsh 7.6 on Linux. On Windows, the programs run directly inherit the
  shell's (hidden) console as `&` would give them; unverified whether quser/msg behave differently there.
#>
[CmdletBinding()]
param(
  [ValidateRange(1, 63)][int]$PoolSize = 16
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# .NET calls, not Join-Path: the first cmdlet of a module loads that module (~80 ms of the start, measured).
. ([System.IO.Path]::Combine($PSScriptRoot, 'SessionLogoff.ps1'))

# The RunspacePool is built on the first call that needs one. A list through a shell that cannot load
# wtsapi32 (pwsh on Linux or macOS) never does: its probe, its date order and its programs are all served by the
# loop (below). Building it cost ~140 ms of the start, before `@@sl-ready`, measured on a 2-core machine.
$pool = $null

function New-SlPool {
  # Each runspace gets the same functions and script-level settings; $script: inside a function defined this
  # way resolves to the runspace's global scope, where these variables live.
  $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
  foreach ($function in Get-ChildItem -Path function: | Where-Object { $_.Name -like '*-Sl*' }) {
    $iss.Commands.Add([System.Management.Automation.Runspaces.SessionStateFunctionEntry]::new($function.Name, $function.Definition))
  }
  # Every cmdlet the functions name, plus Out-String (PowerShell formats what is piped into a native program with
  # it), goes into the session state as a cmdlet entry. Otherwise each new runspace auto-loads the module behind
  # it (Microsoft.PowerShell.Utility, ...) on first use: measured ~30 ms of CPU per module per runspace, paid by
  # every one of the pool's runspaces, which on a busy 2-core machine was most of the transport's start cost.
  # The names come from the script's own syntax tree, so a cmdlet added to SessionLogoff.ps1 is covered too.
  # The entries come from CreateDefault(), the built-in cmdlets by type: Get-Command would first import each
  # module into this runspace (~130 ms of CPU against ~60 ms, measured).
  $scriptAst = [System.Management.Automation.Language.Parser]::ParseFile([System.IO.Path]::Combine($PSScriptRoot, 'SessionLogoff.ps1'), [ref]$null, [ref]$null)
  $commandNames = @($scriptAst.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
      ForEach-Object { $_.GetCommandName() } | Where-Object { $_ }) + 'Out-String'
  $boundNames = @($iss.Commands | ForEach-Object { $_.Name })
  foreach ($entry in [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault().Commands) {
    if ($entry -is [System.Management.Automation.Runspaces.SessionStateCmdletEntry] -and $commandNames -contains $entry.Name -and $boundNames -notcontains $entry.Name) {
      $iss.Commands.Add($entry.Clone())
      $boundNames += $entry.Name
    }
  }
  foreach ($name in 'SlHostPattern', 'SlIsWindows', 'SlLogonFlags', 'SlWtsSource', 'SlMessagePattern', 'SlProgramCache', 'SlDeferNative', 'OutputEncoding') {
    $iss.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new($name, (Get-Variable -Name $name -Scope Script -ValueOnly), ''))
  }
  # No host UI: nothing a runspace writes may land on our stdout between reply lines.
  $created = [runspacefactory]::CreateRunspacePool($iss)
  [void]$created.SetMaxRunspaces($PoolSize)
  $created.Open()
  return $created
}

$CallScript = 'param([string]$Payload) Set-StrictMode -Version Latest; $ErrorActionPreference = ''Stop''; $ProgressPreference = ''SilentlyContinue''; Invoke-SlCommand -Payload $Payload'

$utf8 = [System.Text.UTF8Encoding]::new($false)
$stdout = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $utf8)
$stdout.AutoFlush = $true
$stdin = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $utf8)

function Write-SlReply {
  param([Parameter(Mandatory)][string]$Id, [Parameter(Mandatory)][string]$Base64)
  $stdout.WriteLine("@@sl-reply $Id $Base64")
}

function Write-SlFailure {
  param([Parameter(Mandatory)][string]$Id, [Parameter(Mandatory)][string]$Text)
  Write-SlReply -Id $Id -Base64 (ConvertTo-SlReply (New-SlEnvelope -ErrorText $Text))
}

# query, logoff, message and dateOrder run at most one program (dateOrder: reg, off Windows only): the loop runs
# their PowerShell part itself (a few milliseconds) and their program asynchronously, with no runspace held for
# the program's whole run. Measured:
# a runspace's first call cost ~50 ms of CPU, 16 times at the start of a run; this path costs none of that.
# Everything else, and all of Windows PowerShell 5.1 (no ProcessStartInfo.ArgumentList there), uses the pool.
$DirectFunctions = @('query', 'logoff', 'message', 'dateOrder')
$DirectCapable = $null -ne [System.Diagnostics.ProcessStartInfo].GetProperty('ArgumentList')

function Get-SlRequestFunction {
  param([Parameter(Mandatory)][string]$Payload)
  try {
    $request = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Payload)) | ConvertFrom-Json
    if ($request -is [System.Management.Automation.PSCustomObject] -and $request.PSObject.Properties['fn'] -and $request.fn -is [string]) { return $request.fn }
  } catch {
    Write-Verbose "unreadable request: the pool's call reports it"
  }
  return ''
}

# SlDeferNative is local here; Invoke-SlNative, called from within, sees it through dynamic scoping.
function Invoke-SlDeferred {
  param([Parameter(Mandatory)][string]$Payload)
  $SlDeferNative = $true
  return Invoke-SlRequest -Payload $Payload
}

function Complete-SlCall {
  param([Parameter(Mandatory)][string]$Id, [Parameter(Mandatory)]$Call)
  if ($null -ne $Call.Started) {
    try {
      $envelope = if ($Call.Cancelled) { $Call.Started.Process.Dispose(); New-SlEnvelope -ErrorText 'cancelled' } else { Complete-SlNativeProcess -Started $Call.Started }
    } catch {
      $envelope = New-SlEnvelope -ErrorText "the call failed: $($_.Exception.Message)"
    }
    Write-SlReply -Id $Id -Base64 (ConvertTo-SlReply $envelope)
    return
  }
  $reply = $null
  try {
    $output = $Call.Shell.EndInvoke($Call.Async)
    $reply = @($output | Where-Object { $_ -is [string] }) | Select-Object -Last 1
    if ($null -eq $reply) { $reply = ConvertTo-SlReply (New-SlEnvelope -ErrorText 'the call returned no reply') }
  } catch {
    $text = if ($Call.Cancelled) { 'cancelled' } else { "the call failed: $($_.Exception.Message)" }
    $reply = ConvertTo-SlReply (New-SlEnvelope -ErrorText $text)
  } finally {
    $Call.Shell.Dispose()
  }
  Write-SlReply -Id $Id -Base64 $reply
}

$calls = @{}
$read = $stdin.ReadLineAsync()
$stdout.WriteLine('@@sl-ready ' + (ConvertTo-SlReply ([ordered]@{ pid = $PID; version = $PSVersionTable.PSVersion.ToString(); poolSize = $PoolSize })))

while ($true) {
  # Task implements IAsyncResult explicitly; the cast reaches its wait handle so one WaitAny wakes on input
  # or on any finished call, with no polling.
  $handles = [System.Collections.Generic.List[System.Threading.WaitHandle]]::new()
  $handles.Add(([System.IAsyncResult]$read).AsyncWaitHandle)
  $ids = @($calls.Keys)
  foreach ($id in $ids) { $handles.Add($calls[$id].Async.AsyncWaitHandle) } # at most 63 calls: WaitAny takes 64 handles
  [void][System.Threading.WaitHandle]::WaitAny($handles.ToArray())

  foreach ($id in $ids) {
    if ($calls[$id].Async.IsCompleted) {
      Complete-SlCall -Id $id -Call $calls[$id]
      $calls.Remove($id)
    }
  }

  if (-not $read.IsCompleted) { continue }
  $line = $read.Result
  if ($null -eq $line) { break } # stdin closed: our parent is gone or done with us.
  $read = $stdin.ReadLineAsync()

  if ($line -match '^call ([0-9]{1,9}) ([A-Za-z0-9+/]*={0,2})$') {
    $id = $Matches[1]
    if ($calls.ContainsKey($id)) { [Console]::Error.WriteLine("session-logoff server: duplicate call id $id ignored"); continue }
    $payload = $Matches[2]
    $fn = Get-SlRequestFunction -Payload $payload
    # The WTS probe of a shell that cannot even load wtsapi32 is answered here, synchronously: it then takes a
    # millisecond and starts nothing, so a list through pwsh on Linux or macOS never builds the pool. Otherwise
    # the probe compiles ps/WtsApi.cs (Add-Type, seconds on Windows), which must not hold up the loop.
    if ($fn -eq 'wtsProbe' -and -not (Test-SlWtsLoadable)) {
      # Nothing thrown here may end the loop (and with it every other call).
      try { Write-SlReply -Id $id -Base64 (Invoke-SlCommand -Payload $payload) } catch { Write-SlFailure -Id $id -Text "the call failed: $($_.Exception.Message)" }
      continue
    }
    if ($DirectCapable -and $DirectFunctions -contains $fn) {
      $planned = Invoke-SlDeferred -Payload $payload
      if ($planned -isnot [System.Management.Automation.PSCustomObject] -or -not $planned.PSObject.Properties['SlDeferred']) {
        Write-SlReply -Id $id -Base64 (ConvertTo-SlReply $planned) # refused, the program is missing, or no program was needed (dateOrder on Windows)
        continue
      }
      try {
        $started = Start-SlNativeProcess -Plan $planned
      } catch {
        Write-SlFailure -Id $id -Text $_.Exception.Message
        continue
      }
      $calls[$id] = [pscustomobject]@{ Started = $started; Async = [System.IAsyncResult]$started.Done; Cancelled = $false }
      continue
    }
    if ($null -eq $pool) {
      # Built here, once; a failure answers this call and leaves the loop (and the other calls) running.
      try { $pool = New-SlPool } catch {
        Write-SlFailure -Id $id -Text "the call failed: the runspace pool could not be built: $($_.Exception.Message)"
        continue
      }
    }
    $shell = [powershell]::Create()
    $shell.RunspacePool = $pool
    [void]$shell.AddScript($CallScript).AddArgument($payload)
    $calls[$id] = [pscustomobject]@{ Started = $null; Shell = $shell; Async = $shell.BeginInvoke(); Cancelled = $false }
  } elseif ($line -match '^cancel ([0-9]{1,9})$') {
    $call = $calls[$Matches[1]]
    if ($null -ne $call) {
      $call.Cancelled = $true
      if ($null -ne $call.Started) {
        # The program and anything it started; the reply follows when its pipes have closed.
        try { $call.Started.Process.Kill($true) } catch { Write-Verbose "already exited: $($_.Exception.Message)" }
      } else {
        # Stopping the pipeline kills the native program it runs; the reply follows when it has stopped.
        [void]$call.Shell.BeginStop($null, $null)
      }
    }
  } elseif ($line -ne '') {
    [Console]::Error.WriteLine('session-logoff server: unreadable request line ignored')
  }
}

foreach ($call in $calls.Values) {
  if ($null -ne $call.Started) { try { $call.Started.Process.Kill($true) } catch { Write-Verbose 'already exited' } }
  else { $call.Shell.Stop(); $call.Shell.Dispose() }
}
if ($null -ne $pool) { $pool.Close() }
exit 0
