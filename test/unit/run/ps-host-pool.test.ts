import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import { createPsHost, type PsEnvelope, type PsHost } from '../../../src/run/ps-host.js';
import { requirePwsh } from '../../helpers/pwsh.js';

const FAKE_SERVER = fileURLToPath(new URL('../../doubles/lib/fake-ps-server.cjs', import.meta.url));

const pidOf = (reply: PsEnvelope): unknown => (reply.data as { pid?: unknown } | null)?.pid;

/** Resolves once `check` holds; polls, so it waits as long as a loaded machine needs (mocha's timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

// One read, no existsSync first: a process reaped between the two made the read throw ENOENT (seen once in CI
// on a fresh clone). Gone, or a zombie (state Z after the name), is not alive.
function alive(pid: unknown): boolean {
  if (typeof pid !== 'number') return false;
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('PowerShell host: framing, pool and recovery (protocol double)', function () {
  this.timeout(60_000);
  let dir = '';
  const hosts: PsHost[] = [];
  const make = (env: NodeJS.ProcessEnv = {}, poolSize = 4): PsHost => {
    const host = createPsHost({ pwshPath: FAKE_SERVER, env, poolSize, startTimeoutMs: 30_000 });
    hosts.push(host);
    return host;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-pspool-'));
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches replies to calls by id, out of order, and ignores anything else on stdout', async () => {
    const host = make();
    const [slow, fast] = await Promise.all([
      host.invoke('ping', { delayMs: 300, tag: 'slow', noise: true }),
      host.invoke('ping', { tag: 'fast', noise: true }),
    ]);
    assert.equal((slow.data as { echo: { tag: string } }).echo.tag, 'slow');
    assert.equal((fast.data as { echo: { tag: string } }).echo.tag, 'fast');
  });

  it('starts the shell with .NET tiered compilation off, unless the caller set it', async () => {
    const tiering = async (env: NodeJS.ProcessEnv): Promise<unknown> => ((await make(env).invoke('ping', {})).data as { tieredCompilation: unknown }).tieredCompilation;
    assert.equal(await tiering({}), '0');
    assert.equal(await tiering({ DOTNET_TieredCompilation: '1' }), '1');
    // The older spelling counts as a choice too: it is left alone and no DOTNET_ value is added beside it.
    assert.equal(await tiering({ COMPlus_TieredCompilation: '1' }), null);
  });

  it('a call’s timeout counts from when it reaches a ready shell, not from when it was asked for', async () => {
    const readyFile = path.join(dir, 'ready');
    const host = make({ FAKE_PS_READY_FILE: readyFile });
    const onStarted = sinon.spy();
    const call = host.invoke('ping', {}, { timeoutMs: 1_000, onStarted });
    // Longer than the call's timeout passes before the shell is ready; the call must still succeed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sinon.assert.notCalled(onStarted);
    writeFileSync(readyFile, '');
    const reply = await call;
    assert.equal(reply.timedOut, false);
    assert.equal(reply.exitCode, 0);
    sinon.assert.calledOnce(onStarted);
  });

  it('a timed-out call is cancelled in the shell; the shell and its other calls carry on', async () => {
    const host = make();
    const before = await host.invoke('ping', {});
    const [hung, healthy] = await Promise.all([host.invoke('ping', { hang: true }, { timeoutMs: 300 }), host.invoke('ping', { delayMs: 600 })]);
    assert.equal(hung.timedOut, true);
    assert.equal(healthy.exitCode, 0);
    assert.equal(pidOf(await host.invoke('ping', {})), pidOf(before));
  });

  it('a shell that does not confirm a cancel is stalled: killed, its calls reported, and replaced', async () => {
    const host = make({ FAKE_PS_IGNORE_CANCEL: '1' });
    const first = pidOf(await host.invoke('ping', {}));
    const other = host.invoke('ping', { hang: true }, { timeoutMs: 0 });
    const hung = await host.invoke('ping', { hang: true }, { timeoutMs: 200 });
    assert.equal(hung.timedOut, true);
    const orphan = await other; // settles when the stalled shell is killed
    assert.match(orphan.error ?? '', /stopped answering/u);
    await until(() => !alive(first));
    const next = await host.invoke('ping', {});
    assert.equal(next.exitCode, 0);
    assert.notEqual(pidOf(next), first);
  });

  it('a shell that dies fails every call it held; the next call starts a new one', async () => {
    const host = make();
    const first = pidOf(await host.invoke('ping', {}));
    const held = host.invoke('ping', { hang: true }, { timeoutMs: 0 });
    const dying = await host.invoke('ping', { die: true });
    assert.match(dying.error ?? '', /PowerShell exited \(code 3\)/u);
    assert.match((await held).error ?? '', /PowerShell exited/u);
    const next = await host.invoke('ping', {});
    assert.equal(next.exitCode, 0);
    assert.notEqual(pidOf(next), first);
  });

  it('never has more than poolSize calls in the shell; a queued call starts when a slot frees', async () => {
    const host = make({}, 2);
    const started = [sinon.spy(), sinon.spy(), sinon.spy()];
    const calls = started.map((onStarted, i) => host.invoke('ping', { hang: i < 2 }, { timeoutMs: i === 0 ? 400 : 0, onStarted }));
    await until(() => started[0]!.called && started[1]!.called);
    sinon.assert.notCalled(started[2]!);
    assert.equal((await calls[0])!.timedOut, true);
    const third = await calls[2]!;
    assert.equal(third.exitCode, 0);
    sinon.assert.calledOnce(started[2]!);
  });

  it('a call aborted while queued is reported aborted and never reaches the shell', async () => {
    const host = make({}, 1);
    const blocker = host.invoke('ping', { hang: true }, { timeoutMs: 0 });
    const controller = new AbortController();
    const onStarted = sinon.spy();
    const queued = host.invoke('ping', {}, { signal: controller.signal, onStarted });
    controller.abort();
    const reply = await queued;
    assert.equal(reply.aborted, true);
    sinon.assert.notCalled(onStarted);
    await host.dispose();
    assert.match((await blocker).error ?? '', /disposed|exited/u);
  });

  it('a shell that never becomes ready fails its calls at the start limit', async () => {
    const host = createPsHost({ pwshPath: FAKE_SERVER, env: { FAKE_PS_READY_FILE: path.join(dir, 'never') }, startTimeoutMs: 300 });
    hosts.push(host);
    const reply = await host.invoke('ping', {});
    assert.match(reply.error ?? '', /did not start within 300 ms/u);
    assert.equal(reply.timedOut, false);
  });
});

// A quser that returns only once `count` copies of it run at the same time: calls that were serialised would
// wait for each other forever (and time out), so success proves they ran side by side, with no clock involved.
const BARRIER = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.BARRIER_DIR;
const count = Number(process.env.BARRIER_COUNT);
if (process.argv.includes('/server:hang.example')) { fs.writeFileSync(path.join(process.env.HANG_DIR, String(process.pid)), ''); setTimeout(() => {}, 600000); }
else {
  fs.writeFileSync(path.join(dir, String(process.pid)), '');
  const timer = setInterval(() => {
    if (fs.readdirSync(dir).length >= count) { clearInterval(timer); process.stdout.write('ok ' + process.argv.slice(2).join(' ') + '\\n'); }
  }, 20);
}
`;

describe('PowerShell host under real pwsh: side by side, and no stalls', function () {
  this.timeout(180_000);
  let dir = '';
  let host: PsHost | undefined;

  before(function () {
    const pwshPath = requirePwsh(this);
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-psreal-'));
    const bin = path.join(dir, 'bin');
    for (const sub of ['bin', 'barrier', 'hang']) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(bin, 'quser'), BARRIER);
    chmodSync(path.join(bin, 'quser'), 0o755);
    host = createPsHost({
      pwshPath,
      poolSize: 8,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, BARRIER_DIR: path.join(dir, 'barrier'), BARRIER_COUNT: '6', HANG_DIR: path.join(dir, 'hang') },
    });
  });

  after(async () => {
    await host?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs six queries at once (each returns only when all six run together)', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => host!.invoke('query', { kind: 'quser', server: `rds${i}` }, { timeoutMs: 120_000 })));
    replies.forEach((reply, i) => {
      assert.equal(reply.timedOut, false);
      assert.equal(reply.stdout.trim(), `ok /server:rds${i}`);
    });
  });

  it('a hung call times out alone: its program is killed, a call beside it succeeds, the shell stays', async () => {
    const before = pidOf(await host!.invoke('ping', {}));
    const [hung, ping] = await Promise.all([host!.invoke('query', { kind: 'quser', server: 'hang.example' }, { timeoutMs: 2_000 }), host!.invoke('ping', {})]);
    assert.equal(hung.timedOut, true);
    assert.equal(ping.exitCode, 0);
    const hangPids = readdirSync(path.join(dir, 'hang')).map(Number);
    assert.equal(hangPids.length, 1);
    await until(() => !alive(hangPids[0]));
    assert.equal(pidOf(await host!.invoke('ping', {})), before);
  });

  it('400 sequential calls and 400 from 16 concurrent callers: every one answered, none stalled', async () => {
    let stalls = 0;
    const one = async (i: number): Promise<void> => {
      // Alternate a ping and a refused logoff, as in the report of the stall (issue 8).
      const reply = i % 2 === 0 ? await host!.invoke('ping', {}, { timeoutMs: 60_000 }) : await host!.invoke('logoff', { sessionId: 0, server: '' }, { timeoutMs: 60_000 });
      if (reply.timedOut) stalls++;
      else if (i % 2 === 0) assert.equal(reply.exitCode, 0);
      else assert.notEqual(reply.error, null);
    };
    for (let i = 0; i < 400; i++) await one(i);
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < 400) await one(next++);
    }));
    assert.equal(stalls, 0);
  });
});
