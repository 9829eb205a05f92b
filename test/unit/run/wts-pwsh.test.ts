/*
 * ps/WtsApi.cs and the wts* functions of ps/SessionLogoff.ps1 under real pwsh: struct layouts against the
 * documented x64 sizes and offsets, the P/Invoke declarations, the C double's own layout asserts, Add-Type once
 * per process across runspaces, Constrained Language Mode, and the request type checks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPsHost, type PsHost } from '../../../src/run/ps-host.js';
import { createFarmFixture } from '../../helpers/farm.js';
import { requirePwsh } from '../../helpers/pwsh.js';
import { WTS_DOUBLE_DIR, requireWtsDouble, wtsEnv } from '../../helpers/wts.js';

const PS_DIR = fileURLToPath(new URL('../../../ps', import.meta.url));
const C_SOURCE = fileURLToPath(new URL('../../doubles/native/wtsapi32.c', import.meta.url));

function runPwsh(pwsh: string, script: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = mkdtempSync(join(tmpdir(), 'session-logoff-wts-'));
  try {
    const file = join(dir, 'check.ps1');
    writeFileSync(file, `$ErrorActionPreference = 'Stop'\n${script}`);
    const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8', timeout: 120_000, env });
    assert.equal(run.status, 0, run.stderr);
    const match = /JSON:(.*)$/mu.exec(run.stdout);
    assert.ok(match, run.stdout + run.stderr);
    return match[1] ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('WTS P/Invoke layer under real PowerShell', function () {
  this.timeout(180_000);
  let pwsh = '';
  before(function () {
    pwsh = requirePwsh(this);
  });

  it('struct sizes and offsets are the documented x64 layouts; declarations use W names, Unicode, SetLastError', () => {
    const script = `
      Add-Type -LiteralPath '${PS_DIR}/WtsApi.cs'
      $m = [System.Runtime.InteropServices.Marshal]
      $layout = [ordered]@{}
      foreach ($t in [SessionLogoff.WTS_SESSION_INFO_1W], [SessionLogoff.WTSINFOW], [SessionLogoff.WTS_CLIENT_ADDRESS]) {
        $fields = [ordered]@{ size = $m::SizeOf([type]$t) }
        foreach ($f in $t.GetFields()) { $fields[$f.Name] = [int]$m::OffsetOf($t, $f.Name) }
        $layout[$t.Name] = $fields
      }
      $imports = foreach ($method in [SessionLogoff.WtsNative].GetMethods()) {
        $a = $method.GetCustomAttributes([System.Runtime.InteropServices.DllImportAttribute], $false) | Select-Object -First 1
        if ($a) { [ordered]@{ name = $method.Name; dll = $a.Value; entry = $a.EntryPoint; exact = $a.ExactSpelling; lastError = $a.SetLastError; charSet = [string]$a.CharSet } }
      }
      'JSON:' + (ConvertTo-Json -Compress -Depth 4 @{ layout = $layout; imports = @($imports) })`;
    const doc = JSON.parse(runPwsh(pwsh, script)) as {
      layout: Record<string, Record<string, number>>;
      imports: { name: string; dll: string; entry: string; exact: boolean; lastError: boolean; charSet: string }[];
    };
    assert.deepEqual(doc.layout['WTS_SESSION_INFO_1W'], { size: 56, ExecEnvId: 0, State: 4, SessionId: 8, pSessionName: 16, pHostName: 24, pUserName: 32, pDomainName: 40, pFarmName: 48 });
    assert.deepEqual(doc.layout['WTSINFOW'], {
      size: 216, State: 0, SessionId: 4, IncomingBytes: 8, OutgoingBytes: 12, IncomingFrames: 16, OutgoingFrames: 20, IncomingCompressedBytes: 24, OutgoingCompressedBytes: 28,
      WinStationName: 32, Domain: 96, UserName: 130, ConnectTime: 176, DisconnectTime: 184, LastInputTime: 192, LogonTime: 200, CurrentTime: 208,
    });
    assert.deepEqual(doc.layout['WTS_CLIENT_ADDRESS'], { size: 24, AddressFamily: 0, Address: 4 });
    assert.deepEqual(doc.imports.map((i) => i.entry).sort(), ['WTSCloseServer', 'WTSEnumerateSessionsExW', 'WTSFreeMemory', 'WTSFreeMemoryExW', 'WTSLogoffSession', 'WTSOpenServerExW', 'WTSQuerySessionInformationW', 'WTSSendMessageW']);
    for (const i of doc.imports) {
      assert.deepEqual([i.dll, i.exact, i.lastError], ['wtsapi32', true, true], i.name);
      // Every entry point that takes or gives text is a W function marshalled as UTF-16 (never Auto: UTF-8 on Linux).
      if (/W$/u.test(i.entry)) assert.equal(i.charSet, 'Unicode', i.name);
      assert.notEqual(i.charSet, 'Auto', i.name);
    }
  });

  it('the C double compiles with its layout asserts (WTSINFOW 216, WTS_SESSION_INFO_1W 56, offsets)', function () {
    const cc = spawnSync('cc', ['--version'], { encoding: 'utf8' });
    if (cc.status !== 0) this.skip();
    const check = spawnSync('cc', ['-std=c11', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', C_SOURCE], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('Add-Type runs once per process: runspaces starting together share one compiled type', function () {
    requireWtsDouble(this);
    const script = `
      . '${PS_DIR}/SessionLogoff.ps1'
      $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
      foreach ($f in Get-ChildItem function: | Where-Object { $_.Name -like '*-Sl*' }) { $iss.Commands.Add([System.Management.Automation.Runspaces.SessionStateFunctionEntry]::new($f.Name, $f.Definition)) }
      foreach ($n in 'SlHostPattern', 'SlIsWindows', 'SlWtsSource', 'SlMessagePattern') { $iss.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new($n, (Get-Variable $n -ValueOnly), '')) }
      $pool = [runspacefactory]::CreateRunspacePool(1, 6, $iss, $Host); $pool.Open()
      $calls = foreach ($i in 1..6) { $ps = [powershell]::Create(); $ps.RunspacePool = $pool; [void]$ps.AddScript('Initialize-SlWts'); @{ ps = $ps; async = $ps.BeginInvoke() } }
      $reasons = foreach ($c in $calls) { $out = $c.ps.EndInvoke($c.async); $text = @($out | Where-Object { $null -ne $_ }) -join ';'; if ($text -eq '') { 'ready' } else { $text } }
      $defining = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $null -ne $_.GetType('SessionLogoff.Wts', $false) }).Count
      'JSON:' + (ConvertTo-Json -Compress @{ reasons = @($reasons); assemblies = $defining })`;
    const doc = JSON.parse(runPwsh(pwsh, script, wtsEnv(process.env))) as { reasons: string[]; assemblies: number };
    assert.deepEqual(doc.reasons, ['ready', 'ready', 'ready', 'ready', 'ready', 'ready']);
    assert.equal(doc.assemblies, 1);
  });

  it('Add-Type refused (as under Constrained Language Mode / WDAC): the probe answers unavailable, once per process', () => {
    const payload = Buffer.from(JSON.stringify({ fn: 'wtsProbe' })).toString('base64');
    // A function named Add-Type wins over the cmdlet: it refuses with the text PowerShell gives in CLM.
    const script = `
      . '${PS_DIR}/SessionLogoff.ps1'
      $global:addTypeCalls = 0
      function global:Add-Type { $global:addTypeCalls++; throw 'Cannot add type. Definition of new types is not supported in this language mode.' }
      $first = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String((Invoke-SlCommand -Payload '${payload}'))) | ConvertFrom-Json
      $second = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String((Invoke-SlCommand -Payload '${payload}'))) | ConvertFrom-Json
      'JSON:' + (ConvertTo-Json -Compress -Depth 4 @{ first = $first.data; second = $second.data; calls = $global:addTypeCalls })`;
    const doc = JSON.parse(runPwsh(pwsh, script, wtsEnv(process.env))) as { first: { Available: boolean; Reason: string }; second: { Reason: string }; calls: number };
    assert.equal(doc.first.Available, false);
    assert.match(doc.first.Reason, /^Add-Type was refused: Cannot add type/);
    assert.equal(doc.second.Reason, doc.first.Reason);
    assert.equal(doc.calls, 1);
  });

  it('a runspace in Constrained Language Mode: unavailable, without trying Add-Type', () => {
    const script = `
      . '${PS_DIR}/SessionLogoff.ps1'
      $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
      $iss.LanguageMode = 'ConstrainedLanguage'
      foreach ($n in 'SlHostPattern', 'SlIsWindows', 'SlWtsSource', 'SlMessagePattern') { $iss.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new($n, (Get-Variable $n -ValueOnly), '')) }
      $rs = [runspacefactory]::CreateRunspace($iss); $rs.Open()
      # Defined by script text inside the CLM runspace, so the functions themselves run constrained.
      $definitions = (Get-ChildItem function: | Where-Object { $_.Name -like '*-Sl*' } | ForEach-Object { "function $($_.Name) {$($_.Definition)}" }) -join [Environment]::NewLine
      $ps = [powershell]::Create(); $ps.Runspace = $rs
      $out = $ps.AddScript($definitions + [Environment]::NewLine + '(Invoke-SlWtsProbe).data').Invoke()
      'JSON:' + (ConvertTo-Json -Compress @{ data = $out[0]; errors = @($ps.Streams.Error | ForEach-Object { [string]$_ }) })`;
    const doc = JSON.parse(runPwsh(pwsh, script, wtsEnv(process.env))) as { data: { Available: boolean; Reason: string } | null; errors: string[] };
    assert.deepEqual(doc.errors, []);
    assert.equal(doc.data?.Available, false);
    assert.match(doc.data?.Reason ?? '', /ConstrainedLanguage mode/);
  });

  describe('through the PowerShell host', () => {
    let psHost: PsHost;
    before(function () {
      requireWtsDouble(this);
      psHost = createPsHost({ pwshPath: pwsh, env: { ...wtsEnv(process.env), SESSION_LOGOFF_FARM: '/nonexistent' }, poolSize: 4 });
    });
    after(() => psHost?.dispose());

    it('wts* requests are type-checked like the others: a wrong type or value is refused, never converted', async () => {
      for (const [fn, payload] of [
        ['wtsSessions', { server: '$(whoami)' }],
        ['wtsSessions', { server: 'rds01\n' }],
        ['wtsSessions', { server: 7 }],
        ['wtsLogoff', { sessionId: true, server: '' }],
        ['wtsLogoff', { sessionId: '0x10', server: '' }],
        ['wtsLogoff', { sessionId: 2.5, server: '' }],
        ['wtsLogoff', { sessionId: [3], server: '' }],
        ['wtsLogoff', { sessionId: 0, server: '' }],
        ['wtsLogoff', { sessionId: 65536, server: '' }],
        ['wtsMessage', { sessionId: 2, server: '', title: 'session-logoff', text: 'a\u0007b' }],
        ['wtsMessage', { sessionId: 2, server: '', title: 'two\nlines', text: 'hi' }],
        ['wtsMessage', { sessionId: 2, server: '', title: 42, text: 'hi' }],
        ['wtsMessage', { sessionId: 2, server: '', text: 'hi' }],
        ['wtsMessage', { sessionId: 2, server: '', seconds: '30', title: 't', text: 'hi' }],
      ] as const) {
        const reply = await psHost.invoke(fn, payload);
        assert.notEqual(reply.error, null, `${fn} ${JSON.stringify(payload)} should be refused`);
        assert.equal(reply.exitCode, null);
      }
      const refused = await psHost.invoke('wtsMessage', { sessionId: 2, server: '', title: 't', text: 'secret\u0007' });
      assert.ok(!(refused.error ?? '').includes('secret'), 'a refused message body is not echoed');
    });

    it('a call blocked in the API is cancelled at its timeout and the same shell answers the next call', async () => {
      const fx = await createFarmFixture({ localHost: 'admin01', hosts: { stuck: { fault: 'hang', sessions: [] }, slow: { latencyMs: 6000, sessions: [] } } });
      const host = createPsHost({ pwshPath: pwsh, env: wtsEnv(fx.env), poolSize: 2 });
      try {
        const before = await host.invoke('ping', {});
        assert.equal((await host.invoke('wtsProbe', {})).error, null);
        const hung = await host.invoke('wtsSessions', { server: 'stuck' }, { timeoutMs: 3000 });
        assert.equal(hung.timedOut, true);
        // A shell whose cancel is not confirmed within 5 s is killed, and every call in it fails: this call,
        // started at once and answering after 6 s, would then fail. The pipeline stop ends the wait instead;
        // the native thread stays blocked, abandoned.
        const next = await host.invoke('wtsSessions', { server: 'slow' });
        assert.equal(next.error, null);
        assert.equal((next.data as { Win32Error: number }).Win32Error, 0);
        const after = await host.invoke('ping', {});
        assert.equal((after.data as { pid: number }).pid, (before.data as { pid: number }).pid);
      } finally {
        await host.dispose();
        await fx.cleanup();
      }
    });

    it('the probe finds the double through LD_LIBRARY_PATH', async () => {
      const reply = await psHost.invoke('wtsProbe', {});
      assert.deepEqual(reply.data, { Available: true, Windows: false }, `${reply.error ?? ''} (LD_LIBRARY_PATH=${WTS_DOUBLE_DIR})`);
    });
  });
});
