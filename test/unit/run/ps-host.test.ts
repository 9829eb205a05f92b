import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPsHost, type PsHost } from '../../../src/run/ps-host.js';
import { createPowerShellTransport } from '../../../src/run/ps-transport.js';
import { requirePwsh } from '../../helpers/pwsh.js';

// Tiny stand-ins for the Windows tools: print argv and stdin as JSON; `/server:hang.example` never returns.
const ECHO = `#!/usr/bin/env node
const name = require('node:path').basename(process.argv[1]);
const argv = process.argv.slice(2);
if (argv.includes('/server:hang.example')) setTimeout(() => {}, 600000);
else {
  let stdin = '';
  process.stdin.setEncoding('utf8').on('data', (d) => (stdin += d)).on('end', () => {
    if (name === 'reg') {
      const value = argv[3];
      const data = value === 'sShortDate' ? 'REG_SZ    dd.MM.yyyy' : value === 'TSServerDrainMode' ? 'REG_DWORD    0x2' : 'REG_DWORD    0x0';
      process.stdout.write('\\r\\nHKEY_LOCAL_MACHINE\\\\X\\r\\n    ' + value + '    ' + data + '\\r\\n\\r\\n');
      return;
    }
    process.stdout.write(JSON.stringify({ name, argv, stdin }) + '\\n');
    process.stderr.write('Error [5]:Access is denied. ü\\n');
    process.exit(name === 'quser' ? 1 : 0);
  });
}
`;

const HOSTILE_TEXT = "$(whoami) `id` ' ’ ‘ \" ; | & -x /x @f %PATH% ü 中文\nsecond line";

describe('PowerShell host and transport (real pwsh)', function () {
  this.timeout(60_000);
  let dir = '';
  let host: PsHost | undefined;
  let psHost: PsHost;

  before(function () {
    const pwshPath = requirePwsh(this);
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-ps-'));
    for (const name of ['quser', 'qwinsta', 'logoff', 'msg', 'change', 'reg']) {
      writeFileSync(path.join(dir, name), ECHO);
      chmodSync(path.join(dir, name), 0o755);
    }
    host = createPsHost({ pwshPath, env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` } });
    psHost = host;
  });

  after(async () => {
    await host?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs quser with /server as one token and reports exit code, stdout and stderr', async () => {
    const reply = await psHost.invoke('query', { kind: 'quser', server: 'rds01.corp.example' });
    assert.equal(reply.error, null);
    assert.equal(reply.exitCode, 1);
    assert.deepEqual(JSON.parse(reply.stdout), { name: 'quser', argv: ['/server:rds01.corp.example'], stdin: '' });
    assert.equal(reply.stderr, 'Error [5]:Access is denied. ü\n');
  });

  it('delivers hostile message text literally on msg stdin, never in argv', async () => {
    const transport = createPowerShellTransport({ psHost, localNames: ['me'] });
    const result = await transport.message('rds01', 3, HOSTILE_TEXT, { seconds: 30 });
    assert.equal(result.exitCode, 0, result.stderr);
    const seen = JSON.parse(result.stdout) as { argv: string[]; stdin: string };
    assert.deepEqual(seen.argv, ['3', '/server:rds01', '/time:30']);
    assert.equal(seen.stdin.replace(/\r?\n$/u, ''), HOSTILE_TEXT);
    assert.ok(!result.command.includes('whoami'));
  });

  it('the script re-validates what it is sent directly (defence in depth)', async () => {
    for (const [fn, payload] of [
      ['query', { kind: 'quser', server: '$(whoami)' }],
      ['query', { kind: 'quser', server: '-x' }],
      ['query', { kind: 'Get-Process', server: '' }],
      ['logoff', { sessionId: 0, server: '' }],
      ['logoff', { sessionId: 65536, server: '' }],
      ['logoff', { sessionId: '3; whoami', server: '' }],
      ['message', { sessionId: 2, server: '', text: 'a\u0007b' }],
      ['setLogons', { mode: 'query', server: '' }],
      // Exact types or a refusal: PowerShell's binder would turn these into sessions 1, 16, 2, 3 and 7.
      ['logoff', { sessionId: true, server: '' }],
      ['logoff', { sessionId: '0x10', server: '' }],
      ['logoff', { sessionId: 2.5, server: '' }],
      ['logoff', { sessionId: [3], server: '' }],
      ['logoff', { sessionId: '7 ', server: '' }],
      ['logoff', { sessionId: '7', server: '' }],
      ['logoff', { server: '' }],
      ['message', { sessionId: 2, server: '', seconds: '30', text: 'hi' }],
      ['message', { sessionId: 2, server: '', text: 42 }],
      // `$` matches before a final newline in .NET; the pattern is anchored with \z.
      ['query', { kind: 'quser', server: 'rds01\n' }],
      ['logoff', { sessionId: 3, server: 'rds01\n' }],
      ['query', { kind: 'quser', server: 123 }],
      ['query', { kind: ['quser'], server: '' }],
    ] as const) {
      const reply = await psHost.invoke(fn, payload);
      assert.notEqual(reply.error, null, `${fn} ${JSON.stringify(payload)} should be refused`);
      assert.equal(reply.exitCode, null);
    }
    const refused = await psHost.invoke('message', { sessionId: 2, server: '', text: 'secret\u0007' });
    assert.ok(!(refused.error ?? '').includes('secret'), 'a refused message body is not echoed');
  });

  it('transport: logoff, qwinsta, change logon, logon state and date order', async () => {
    const transport = createPowerShellTransport({ psHost, localNames: ['me'] });
    assert.deepEqual(JSON.parse((await transport.logoff(null, 7)).stdout).argv, ['7']);
    assert.deepEqual(JSON.parse((await transport.query('10.0.0.5', 'query-session')).stdout).argv, ['/server:10.0.0.5']);
    assert.deepEqual(JSON.parse((await transport.setLogons('localhost', 'drain-until-restart')).stdout).argv, ['logon', '/drainuntilrestart']);
    assert.equal((await transport.getLogons('rds01')).state, 'drain');
    assert.equal(await transport.dateOrder(), 'dmy');
  });

  // Each of the pool's runspaces used to auto-load Microsoft.PowerShell.Utility and .Management on its first
  // call (~30 ms of CPU each, paid 16 times at the start of every run); the server now binds those cmdlets in.
  it('a runspace that has served every kind of call has auto-loaded no module', async function () {
    const single = createPsHost({ pwshPath: requirePwsh(this), poolSize: 1, env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` } });
    try {
      const transport = createPowerShellTransport({ psHost: single, localNames: ['me'] });
      await transport.query('rds01', 'quser');
      await transport.logoff('rds01', 7);
      await transport.message('rds01', 3, 'hello', { seconds: 30 });
      await transport.setLogons('localhost', 'drain');
      await transport.getLogons('rds01');
      await transport.dateOrder();
      assert.equal((await single.invoke('wtsProbe', {})).error, null);
      const ping = await single.invoke('ping', {});
      assert.equal(ping.error, null);
      assert.deepEqual((ping.data as { modules: unknown }).modules, []);
    } finally {
      await single.dispose();
    }
  });

  it('a timed-out call is reported timed out; the next call works', async () => {
    // The double for hang.example never answers: only the timeout can end this call (no clock asserted).
    const reply = await psHost.invoke('query', { kind: 'quser', server: 'hang.example' }, { timeoutMs: 1500 });
    assert.equal(reply.timedOut, true);
    assert.equal(reply.exitCode, null);
    const next = await psHost.invoke('query', { kind: 'quser', server: 'rds02' });
    assert.deepEqual(JSON.parse(next.stdout).argv, ['/server:rds02']);
  });

  it('an aborted call reports aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const reply = await psHost.invoke('query', { kind: 'quser', server: 'hang.example' }, { signal: controller.signal });
    assert.equal(reply.aborted, true);
    assert.equal(reply.timedOut, false);
  });

  it('a program missing from PATH is a spawnError', async function () {
    const bare = createPsHost({ pwshPath: requirePwsh(this), env: { PATH: path.dirname(process.execPath) } });
    try {
      const reply = await bare.invoke('query', { kind: 'quser', server: '' });
      assert.match(reply.spawnError ?? '', /ENOENT/u);
      assert.equal(reply.exitCode, null);
    } finally {
      await bare.dispose();
    }
  });

  // Off Windows the programs are found on PATH as execvp finds them: the first entry holding an executable file
  // of that name. A directory, or a file without the execute bit, earlier on PATH is passed over; a relative
  // entry is resolved against the shell's working directory, never handed to Process.Start as it is.
  it('PATH search: the first executable file wins; directories and non-executable files are passed over', async function () {
    const root = mkdtempSync(path.join(os.tmpdir(), 'sl-ps-path-'));
    const asDir = path.join(root, 'as-dir');
    const notExec = path.join(root, 'not-exec');
    const real = path.join(root, 'real');
    for (const d of [asDir, notExec, real]) mkdirSync(d);
    mkdirSync(path.join(asDir, 'quser'));
    writeFileSync(path.join(notExec, 'quser'), '#!/bin/sh\necho wrong\n', { mode: 0o644 });
    writeFileSync(path.join(real, 'quser'), ECHO, { mode: 0o755 });
    const searching = createPsHost({ pwshPath: requirePwsh(this), env: { PATH: ['', asDir, notExec, real, path.dirname(process.execPath)].join(path.delimiter) } });
    try {
      const reply = await searching.invoke('query', { kind: 'quser', server: 'rds01' });
      assert.equal(reply.spawnError, null, reply.spawnError ?? '');
      assert.doesNotMatch(reply.stdout, /wrong/u, JSON.stringify(reply));
      assert.equal((JSON.parse(reply.stdout) as { name: string }).name, "quser");
      const missing = await searching.invoke('query', { kind: 'query-session', server: 'rds01' });
      assert.match(missing.spawnError ?? '', /ENOENT: qwinsta not found/u);
    } finally {
      await searching.dispose();
    }
    // No PATH at all (the shell itself is started by its full path): not found, not a script error.
    const noPath = createPsHost({ pwshPath: requirePwsh(this), env: { PATH: '' } });
    try {
      const reply = await noPath.invoke('query', { kind: 'quser', server: 'rds01' });
      assert.equal(reply.error, null);
      assert.match(reply.spawnError ?? '', /ENOENT: quser not found/u);
    } finally {
      await noPath.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a missing PowerShell is a result, not a crash', async () => {
    const missing = createPsHost({ pwshPath: path.join(os.tmpdir(), 'no-such-pwsh-session-logoff') });
    const reply = await missing.invoke('query', { kind: 'quser', server: '' }, { timeoutMs: 10_000 });
    assert.ok(reply.spawnError !== null || reply.error !== null);
    assert.equal(reply.exitCode, null);
    await missing.dispose();
  });
});
