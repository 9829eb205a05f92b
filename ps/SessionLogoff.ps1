<#
.SYNOPSIS
  session-logoff's PowerShell transport: dot-sourced once into a persistent pwsh / powershell.exe.

.DESCRIPTION
  The entry point is Invoke-SlCommand -Payload '<base64 of UTF-8 JSON>' (the server's loop also calls
  Invoke-SlRequest and Start-SlNativeProcess directly). The base64 alphabet has no quote, $ or backtick, so the
  call line can never carry code; the JSON fields are then bound to typed, validated parameters. Native tools
  are run as `& $exe @argumentList` or as a Process with an ArgumentList (arrays, never Invoke-Expression), message text
  reaches msg.exe on stdin, and every call answers with one line: base64 of the UTF-8 JSON envelope
  {exitCode, stdout, stderr, spawnError, error, data}. Base64 again, so no console code page can alter it.

  The WTS source (wts* functions): sessions, logoffs and messages through wtsapi32 as data, by ps/WtsApi.cs
  (C# P/Invoke compiled once per process by Add-Type); every answer is the C# WtsResult, validated again in
  TypeScript (src/run/wts-records.ts).

  Remoting: blocking logons on another host runs `change logon` there through Invoke-Command -ComputerName
  (WinRM). From Linux/macOS, PowerShell remoting over SSH would use Invoke-Command -HostName instead;
  Unverified: that path has not been exercised here. Queries are never run inside a remoting session, because
  quser/qwinsta in a network logon can falsely report "No User exists" (RunasCs issue 19); they always use
  `quser /server:<host>` from this machine.
#>
[CmdletBinding()]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try {
  # UTF-8 both for what we print and for how native output is decoded. Unverified on real Windows: whether
  # quser/qwinsta follow the console output code page we set here (SetConsoleOutputCP) when writing to a pipe.
  [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
} catch {
  # No console attached (e.g. a service): keep the default; the envelope itself is base64 and ASCII-only.
  Write-Verbose "Console encoding unchanged: $($_.Exception.Message)"
}
# What PowerShell uses to encode text piped to native programs (msg's stdin). Unverified: msg.exe's stdin encoding.
$OutputEncoding = [System.Text.UTF8Encoding]::new($false)

# \A and \z, never ^ and $: in .NET `$` also matches before a final newline, so 'rds01<LF>' would pass.
$script:SlHostPattern = '\A(?=.{1,253}\z)(?:(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)\z'
$script:SlIsWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
$script:SlLogonFlags = @{ 'enable' = '/enable'; 'disable' = '/disable'; 'drain' = '/drain'; 'drain-until-restart' = '/drainuntilrestart' }

# Shared by every runspace of the server (ps/SessionLogoffServer.ps1 hands the same object to each), hence synchronized.
$script:SlProgramCache = [hashtable]::Synchronized(@{})
# Set (as a local variable, seen through PowerShell's dynamic scoping) only by the server's main loop when it runs
# a call's program itself, asynchronously (SessionLogoffServer.ps1): Invoke-SlNative then returns what it would
# run instead of running it. Everywhere else it is this $false.
$script:SlDeferNative = $false

function Resolve-SlProgram {
  [CmdletBinding()]
  param([Parameter(Mandatory)][ValidateSet('quser', 'qwinsta', 'logoff', 'msg', 'change', 'reg')][string]$Name)
  # Found once per process (the cache is shared by every runspace). A program not found is not remembered, so one
  # installed later is still found.
  if ($script:SlProgramCache.ContainsKey($Name)) { return $script:SlProgramCache[$Name] }
  $found = Find-SlProgram -Name $Name
  if ($null -ne $found) { $script:SlProgramCache[$Name] = $found }
  return $found
}

function Find-SlProgram {
  param([Parameter(Mandatory)][string]$Name)
  if ($script:SlIsWindows) {
    # Never PATH on Windows. A 32-bit host process must reach the 64-bit tools through Sysnative.
    $dir = if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) { 'Sysnative' } else { 'System32' }
    $path = [System.IO.Path]::Combine($env:SystemRoot, $dir, "$Name.exe")
    if ([System.IO.File]::Exists($path)) { return $path }
    return $null
  }
  # Elsewhere the bare name on PATH (our test doubles, or WSL), searched as execvp searches: the first regular
  # file with an execute bit. Get-Command took a non-executable file earlier on PATH (which then failed to start),
  # and its command discovery cost ~150 ms of the first call, measured: plain .NET calls, no cmdlet, no module.
  $searchPath = [Environment]::GetEnvironmentVariable('PATH')
  if ([string]::IsNullOrEmpty($searchPath)) { return $null }
  foreach ($entry in $searchPath.Split([System.IO.Path]::PathSeparator)) {
    # An empty entry means the working directory, as for execvp.
    $path = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($(if ($entry -eq '') { '.' } else { $entry }), $Name))
    if ([System.IO.File]::Exists($path) -and (Test-SlExecutable -Path $path)) { return $path }
  }
  return $null
}

function Test-SlExecutable {
  param([Parameter(Mandatory)][string]$Path)
  # File.GetUnixFileMode is .NET 7+ (PowerShell 7.3+); an older pwsh lets Process.Start decide.
  if ($null -eq [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string]))) { return $true }
  $execute = [System.IO.UnixFileMode]::UserExecute -bor [System.IO.UnixFileMode]::GroupExecute -bor [System.IO.UnixFileMode]::OtherExecute
  return ([System.IO.File]::GetUnixFileMode($Path) -band $execute) -ne 0
}

function New-SlEnvelope {
  param($ExitCode = $null, [string]$Stdout = '', [string]$Stderr = '', $SpawnError = $null, $ErrorText = $null, $Data = $null)
  return [ordered]@{ exitCode = $ExitCode; stdout = $Stdout; stderr = $Stderr; spawnError = $SpawnError; error = $ErrorText; data = $Data }
}

function Invoke-SlNative {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][string]$Name,
    [Parameter(Mandatory)][AllowEmptyCollection()][string[]]$ArgumentList,
    [AllowNull()][string]$InputText = $null
  )
  $exe = Resolve-SlProgram -Name $Name
  if ($null -eq $exe) { return New-SlEnvelope -SpawnError "ENOENT: $Name not found" }
  if ($SlDeferNative) {
    $hasInput = $PSBoundParameters.ContainsKey('InputText') -and $null -ne $InputText
    # Finish: the function that turns the program's envelope into the call's answer, when the caller has one.
    return [pscustomobject]@{ SlDeferred = $true; Path = $exe; ArgumentList = $ArgumentList; InputText = $(if ($hasInput) { $InputText } else { $null }); Finish = $null }
  }
  # Native stderr must stay data: with 'Stop', Windows PowerShell 5.1 turns a redirected stderr line into a terminating error.
  $ErrorActionPreference = 'Continue'
  # Always pipe something, so the child never inherits (and eats) this shell's stdin, which carries our commands.
  if ($PSBoundParameters.ContainsKey('InputText') -and $null -ne $InputText) {
    $output = $InputText | & $exe @ArgumentList 2>&1
  } else {
    $output = @() | & $exe @ArgumentList 2>&1
  }
  $code = $LASTEXITCODE
  $stdout = [System.Text.StringBuilder]::new()
  $stderr = [System.Text.StringBuilder]::new()
  foreach ($item in @($output)) {
    if ($item -is [System.Management.Automation.ErrorRecord]) { [void]$stderr.Append($item.ToString()).Append("`n") }
    else { [void]$stdout.Append([string]$item).Append("`n") }
  }
  return New-SlEnvelope -ExitCode $code -Stdout $stdout.ToString() -Stderr $stderr.ToString()
}

# The server's asynchronous twin of Invoke-SlNative's `& $exe`: the same program, arguments, stdin and decoding,
# without a runspace blocked for the program's whole run. Needs ProcessStartInfo.ArgumentList (PowerShell 7);
# the server keeps Invoke-SlNative for everything else and for Windows PowerShell 5.1.
function Start-SlNativeProcess {
  param([Parameter(Mandatory)]$Plan)
  $info = [System.Diagnostics.ProcessStartInfo]::new($Plan.Path)
  foreach ($argument in $Plan.ArgumentList) { $info.ArgumentList.Add($argument) }
  $info.UseShellExecute = $false
  # Always a pipe on stdin, as `@() | & $exe` gives: the child must never inherit (and eat) the server's stdin.
  $info.RedirectStandardInput = $true
  $info.RedirectStandardOutput = $true
  $info.RedirectStandardError = $true
  # What PowerShell decodes native output with, and encodes piped input with (both UTF-8, set above).
  $info.StandardOutputEncoding = [Console]::OutputEncoding
  $info.StandardErrorEncoding = [Console]::OutputEncoding
  $info.StandardInputEncoding = $OutputEncoding
  $process = [System.Diagnostics.Process]::Start($info)
  $stdout = $process.StandardOutput.ReadToEndAsync()
  $stderr = $process.StandardError.ReadToEndAsync()
  try {
    # PowerShell writes each piped string as a line.
    if ($null -ne $Plan.InputText) { $process.StandardInput.WriteLine($Plan.InputText) }
    $process.StandardInput.Close()
  } catch [System.IO.IOException] {
    # The program exited without reading its input; `&` ignores that too.
    Write-Verbose "stdin not read: $($_.Exception.Message)"
  }
  $done = [System.Threading.Tasks.Task]::WhenAll([System.Threading.Tasks.Task[]]@($stdout, $stderr, $process.WaitForExitAsync()))
  return [pscustomobject]@{ Process = $process; Stdout = $stdout; Stderr = $stderr; Done = $done; Finish = $Plan.Finish }
}

# Lines as PowerShell splits native output (\r\n, \n or \r), each ended by `n, as Invoke-SlNative joins them.
# One regex call rather than a PowerShell loop over the lines: less script to interpret, and to compile to IL
# once it has run 32 times (PowerShell/PowerShell#6672), CPU a short run never earns back.
function Join-SlLines {
  param([AllowEmptyString()][string]$Text)
  $joined = [regex]::Replace($Text, '\r\n|\r|\n', "`n")
  if ($joined.Length -gt 0 -and -not $joined.EndsWith("`n")) { $joined += "`n" }
  return $joined
}

function Complete-SlNativeProcess {
  param([Parameter(Mandatory)]$Started)
  try {
    $Started.Process.WaitForExit()
    $envelope = New-SlEnvelope -ExitCode $Started.Process.ExitCode -Stdout (Join-SlLines $Started.Stdout.Result) -Stderr (Join-SlLines $Started.Stderr.Result)
    if ($null -ne $Started.Finish) { return & $Started.Finish -Envelope $envelope }
    return $envelope
  } finally {
    $Started.Process.Dispose()
  }
}

function Get-SlServerArgs {
  param([AllowEmptyString()][string]$Server)
  if ($Server -eq '') { return @() }
  return @("/server:$Server")
}

function Invoke-SlQuery {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][ValidateSet('quser', 'query-session')][string]$Kind,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = ''
  )
  $name = if ($Kind -eq 'quser') { 'quser' } else { 'qwinsta' }
  return Invoke-SlNative -Name $name -ArgumentList @(Get-SlServerArgs $Server)
}

function Invoke-SlLogoff {
  [CmdletBinding()]
  param(
    # 0 is services and 65536+ are listeners: never targets.
    [Parameter(Mandatory)][ValidateRange(1, 65535)][int]$SessionId,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = ''
  )
  return Invoke-SlNative -Name 'logoff' -ArgumentList (@([string]$SessionId) + @(Get-SlServerArgs $Server))
}

function Invoke-SlMessage {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][ValidateRange(1, 65535)][int]$SessionId,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = '',
    [ValidateRange(0, 86400)][int]$Seconds = 0,
    [Parameter(Mandatory)][ValidateLength(1, 255)][ValidateScript({ $_ -notmatch '[\x00-\x09\x0B-\x1F\x7F-\x9F]' })][string]$Text
  )
  $argumentList = @([string]$SessionId) + @(Get-SlServerArgs $Server)
  if ($Seconds -gt 0) { $argumentList += "/time:$Seconds" }
  return Invoke-SlNative -Name 'msg' -ArgumentList $argumentList -InputText $Text
}

function Invoke-SlSetLogons {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][ValidateSet('enable', 'disable', 'drain', 'drain-until-restart')][string]$Mode,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = ''
  )
  $flag = $script:SlLogonFlags[$Mode]
  if ($Server -eq '') { return Invoke-SlNative -Name 'change' -ArgumentList @('logon', $flag) }
  # change.exe has no /server switch: run it on the host over WinRM, the flag passed as an argument (data).
  $remote = Invoke-Command -ComputerName $Server -ArgumentList $flag -ScriptBlock {
    param([string]$LogonFlag)
    $ErrorActionPreference = 'Continue'
    $out = @() | & (Join-Path $env:SystemRoot 'System32\change.exe') 'logon' $LogonFlag 2>&1
    [pscustomobject]@{ exitCode = $LASTEXITCODE; lines = @($out | ForEach-Object { [string]$_ }) }
  }
  return New-SlEnvelope -ExitCode $remote.exitCode -Stdout ((@($remote.lines) -join "`n") + "`n")
}

function Invoke-SlGetLogons {
  [CmdletBinding()]
  param([AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = '')
  # reg.exe rather than the registry provider: it reaches \\host\HKLM like the exec transport does.
  $prefix = if ($Server -eq '') { '' } else { "\\$Server\" }
  $drain = Invoke-SlNative -Name 'reg' -ArgumentList @('query', "${prefix}HKLM\System\CurrentControlSet\Control\Terminal Server", '/v', 'TSServerDrainMode')
  $disabled = Invoke-SlNative -Name 'reg' -ArgumentList @('query', "${prefix}HKLM\Software\Microsoft\Windows NT\CurrentVersion\Winlogon", '/v', 'WinStationsDisabled')
  return New-SlEnvelope -ExitCode 0 -Data ([ordered]@{ drain = $drain; disabled = $disabled })
}

function Get-SlShortDatePattern {
  [CmdletBinding()]
  param()
  if (-not $script:SlIsWindows -and $null -ne (Resolve-SlProgram -Name 'reg')) {
    # Off Windows the quser we run is a test double (or WSL's); ask the same "machine" the exec transport asks.
    $reg = Invoke-SlNative -Name 'reg' -ArgumentList @('query', 'HKCU\Control Panel\International', '/v', 'sShortDate')
    if ($reg -is [System.Management.Automation.PSCustomObject] -and $reg.PSObject.Properties['SlDeferred']) {
      $reg.Finish = 'Complete-SlShortDatePattern' # the server runs reg, then this on its answer
      return $reg
    }
    return Complete-SlShortDatePattern -Envelope $reg
  }
  return Complete-SlShortDatePattern -Envelope $null
}

function Complete-SlShortDatePattern {
  # reg's envelope, or $null when reg was not asked.
  param([AllowNull()]$Envelope)
  if ($null -ne $Envelope -and $Envelope.exitCode -eq 0 -and $Envelope.stdout -match '(?m)^\s+sShortDate\s+REG_SZ\s+(.+?)\s*$') { return New-SlEnvelope -ExitCode 0 -Data $Matches[1] }
  # Get-Culture honours the user's regional overrides, which quser uses for LOGON TIME.
  return New-SlEnvelope -ExitCode 0 -Data (Get-Culture).DateTimeFormat.ShortDatePattern
}

# --- The WTS source: sessions as data through wtsapi32 (ps/WtsApi.cs) -------------------------------------------
# Compiled once per process by Add-Type and shared by every runspace of the pool (a type loaded in one runspace
# is visible to all of them). A failure is remembered process-wide too, so a refused Add-Type is not retried
# (and recompiled) on every call.
$script:SlWtsSource = [System.IO.Path]::Combine($PSScriptRoot, 'WtsApi.cs')
$script:SlMessagePattern = '[\x00-\x09\x0B-\x1F\x7F-\x9F]'

# Whether wtsapi32 can be loaded, asked the way DllImport will look for it, without compiling anything. $false
# only when .NET looked and found none (pwsh on Linux or macOS). Windows PowerShell 5.1 has no NativeLibrary and
# cannot ask; wtsapi32.dll is part of Windows there: $true.
function Test-SlWtsLoadable {
  $nativeLibrary = 'System.Runtime.InteropServices.NativeLibrary' -as [type]
  if ($null -eq $nativeLibrary) { return $true }
  $handle = [IntPtr]::Zero
  return [bool]$nativeLibrary::TryLoad('wtsapi32', [psobject].Assembly, $null, [ref]$handle)
}

function Initialize-SlWts {
  # $null when [SessionLogoff.Wts] is ready; otherwise why the WTS source cannot be used in this shell.
  [CmdletBinding()]
  param()
  $mode = $ExecutionContext.SessionState.LanguageMode
  if ($mode -ne 'FullLanguage') { return "Add-Type is not allowed in $mode mode (Constrained Language Mode: AppLocker/WDAC)" }
  if ($null -ne ('SessionLogoff.Wts' -as [type])) { return $null }
  # A PowerShell with no wtsapi32 (Linux, macOS) falls back at once instead of paying for Add-Type.
  if (-not (Test-SlWtsLoadable)) { return 'wtsapi32 could not be loaded' }
  $domain = [System.AppDomain]::CurrentDomain
  $known = $domain.GetData('session-logoff.wts.failure')
  if ($null -ne $known) { return [string]$known }
  # An interned string is one object per process: every runspace takes the same lock, so two first calls
  # never compile (and load) the type twice.
  $lock = [string]::Intern('session-logoff: Add-Type WtsApi.cs')
  [System.Threading.Monitor]::Enter($lock)
  try {
    if ($null -eq ('SessionLogoff.Wts' -as [type])) { Add-Type -LiteralPath $script:SlWtsSource -ErrorAction Stop }
    return $null
  } catch {
    # Unverified: the exact error under Constrained Language Mode or WDAC; any refusal lands here.
    $reason = "Add-Type was refused: $($_.Exception.Message)"
    $domain.SetData('session-logoff.wts.failure', $reason)
    return $reason
  } finally {
    [System.Threading.Monitor]::Exit($lock)
  }
}

function Wait-SlWtsCall {
  # The call runs on a thread of its own; waiting in slices lets a pipeline stop (our cancel) end this call
  # even while the native call stays blocked (a host that drops packets), and the shell goes on serving.
  param([Parameter(Mandatory)]$Task)
  while (-not $Task.Wait(100)) { }
  return $Task.Result
}

function New-SlWtsUnavailable {
  param([Parameter(Mandatory)][string]$Reason)
  return New-SlEnvelope -ExitCode 0 -Data ([ordered]@{ Available = $false; Reason = $Reason; Windows = $script:SlIsWindows })
}

function Invoke-SlWtsProbe {
  [CmdletBinding()]
  param()
  $reason = Initialize-SlWts
  if ($null -eq $reason) {
    $probe = [SessionLogoff.Wts]::Probe()
    if ($probe.Available) { return New-SlEnvelope -ExitCode 0 -Data ([ordered]@{ Available = $true; Windows = $script:SlIsWindows }) }
    $reason = $probe.Reason
  }
  return New-SlWtsUnavailable $reason
}

function Invoke-SlWtsSessions {
  [CmdletBinding()]
  param([AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = '')
  $reason = Initialize-SlWts
  if ($null -ne $reason) { return New-SlWtsUnavailable $reason }
  return New-SlEnvelope -ExitCode 0 -Data (Wait-SlWtsCall ([SessionLogoff.Wts]::SessionsAsync($Server)))
}

function Invoke-SlWtsLogoff {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][ValidateRange(1, 65535)][int]$SessionId,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = ''
  )
  $reason = Initialize-SlWts
  if ($null -ne $reason) { return New-SlWtsUnavailable $reason }
  return New-SlEnvelope -ExitCode 0 -Data (Wait-SlWtsCall ([SessionLogoff.Wts]::LogoffAsync($Server, [uint32]$SessionId)))
}

function Invoke-SlWtsMessage {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory)][ValidateRange(1, 65535)][int]$SessionId,
    [AllowEmptyString()][ValidateScript({ $_ -eq '' -or $_ -match $script:SlHostPattern })][string]$Server = '',
    [ValidateRange(0, 86400)][int]$Seconds = 0,
    [Parameter(Mandatory)][ValidateLength(1, 128)][ValidateScript({ $_ -notmatch '[\x00-\x1F\x7F-\x9F]' })][string]$Title,
    [Parameter(Mandatory)][ValidateLength(1, 255)][ValidateScript({ $_ -notmatch $script:SlMessagePattern })][string]$Text
  )
  $reason = Initialize-SlWts
  if ($null -ne $reason) { return New-SlWtsUnavailable $reason }
  return New-SlEnvelope -ExitCode 0 -Data (Wait-SlWtsCall ([SessionLogoff.Wts]::MessageAsync($Server, [uint32]$SessionId, $Title, $Text, [uint32]$Seconds)))
}

# The request's fields are checked for their exact JSON type before any parameter binds them: PowerShell's
# binder converts (true -> 1, "0x10" -> 16, 2.5 -> 2, [3] -> 3, "7 " -> 7), and a converted session id is
# the wrong session. A field of the wrong type is refused, never converted.
function Get-SlString {
  param([Parameter(Mandatory)]$Object, [Parameter(Mandatory)][string]$Name, [switch]$Optional)
  $property = $Object.PSObject.Properties[$Name]
  if ($null -eq $property -or $null -eq $property.Value) {
    if ($Optional) { return '' }
    throw "field '$Name' is missing"
  }
  if ($property.Value -isnot [string]) { throw "field '$Name' must be a string" }
  return $property.Value
}

function Get-SlInteger {
  param([Parameter(Mandatory)]$Object, [Parameter(Mandatory)][string]$Name, [long]$Minimum, [long]$Maximum, $Default = $null)
  $property = $Object.PSObject.Properties[$Name]
  if ($null -eq $property -or $null -eq $property.Value) {
    if ($null -ne $Default) { return [int]$Default }
    throw "field '$Name' is missing"
  }
  $value = $property.Value
  # ConvertFrom-Json gives [long] (PowerShell 7) or [int] (5.1) for a JSON integer; [bool] is neither.
  if (-not ($value -is [long] -or $value -is [int])) { throw "field '$Name' must be an integer" }
  if ($value -lt $Minimum -or $value -gt $Maximum) { throw "field '$Name' is out of range" }
  return [int]$value
}

# The request's envelope, or (only when the server's loop set SlDeferNative) the plan of the program to run.
function Invoke-SlRequest {
  [CmdletBinding()]
  param([Parameter(Mandatory)][ValidatePattern('\A[A-Za-z0-9+/]*={0,2}\z')][string]$Payload)
  $fn = ''
  try {
    $request = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Payload)) | ConvertFrom-Json
    if ($request -isnot [System.Management.Automation.PSCustomObject]) { throw 'the request must be a JSON object' }
    $fn = Get-SlString $request 'fn'
    $server = Get-SlString $request 'server' -Optional
    $envelope = switch ($fn) {
      'query' { Invoke-SlQuery -Kind (Get-SlString $request 'kind') -Server $server }
      'logoff' { Invoke-SlLogoff -SessionId (Get-SlInteger $request 'sessionId' 1 65535) -Server $server }
      'message' { Invoke-SlMessage -SessionId (Get-SlInteger $request 'sessionId' 1 65535) -Server $server -Seconds (Get-SlInteger $request 'seconds' 0 86400 -Default 0) -Text (Get-SlString $request 'text') }
      'setLogons' { Invoke-SlSetLogons -Mode (Get-SlString $request 'mode') -Server $server }
      'getLogons' { Invoke-SlGetLogons -Server $server }
      'dateOrder' { Get-SlShortDatePattern }
      'wtsProbe' { Invoke-SlWtsProbe }
      'wtsSessions' { Invoke-SlWtsSessions -Server $server }
      'wtsLogoff' { Invoke-SlWtsLogoff -SessionId (Get-SlInteger $request 'sessionId' 1 65535) -Server $server }
      'wtsMessage' { Invoke-SlWtsMessage -SessionId (Get-SlInteger $request 'sessionId' 1 65535) -Server $server -Seconds (Get-SlInteger $request 'seconds' 0 86400 -Default 0) -Title (Get-SlString $request 'title') -Text (Get-SlString $request 'text') }
      # modules: what this runspace has loaded; the server pre-binds the cmdlets it needs, so it stays empty.
      'ping' { New-SlEnvelope -ExitCode 0 -Data ([ordered]@{ pid = $PID; version = $PSVersionTable.PSVersion.ToString(); modules = @(Get-Module | ForEach-Object { $_.Name }) }) }
      default { throw "unknown function" }
    }
  } catch {
    # Validation messages quote the rejected value; a message body must not end up in logs.
    $text = if ($fn -eq 'message' -or $fn -eq 'wtsMessage') { "message rejected: $($_.FullyQualifiedErrorId)" } else { $_.Exception.Message }
    $envelope = New-SlEnvelope -ErrorText $text
  }
  return $envelope
}

function ConvertTo-SlReply {
  param([Parameter(Mandatory)]$Envelope)
  $json = ConvertTo-Json -InputObject $Envelope -Compress -Depth 6
  return [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json))
}

function Invoke-SlCommand {
  [CmdletBinding()]
  param([Parameter(Mandatory)][ValidatePattern('\A[A-Za-z0-9+/]*={0,2}\z')][string]$Payload)
  return ConvertTo-SlReply (Invoke-SlRequest -Payload $Payload)
}
