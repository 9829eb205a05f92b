import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFarm } from '../../../src/sim/farm.js';
import { loadFarmFile } from '../../../src/sim/farm-file.js';
import { createSimulatedRunner } from '../../../src/sim/simulated-runner.js';
import { ValidationError } from '../../../src/errors.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';

const farm = parseFarm({
  localHost: 'admin01',
  hosts: {
    rds1: { latencyMs: 40, sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'alice', state: 'Active' }] },
    stuck: { fault: 'hang', sessions: [] },
  },
});

describe('sim/simulated-runner', () => {
  // Latency and timeouts are timers: in virtual time (sinon) they are exact, whatever the machine's load.
  it('runs the engine in-process, waits the host latency and returns a RunResult', async () => {
    const time = useVirtualTime();
    let r;
    try {
      const runner = createSimulatedRunner(farm);
      r = await time.run(runner.run({ file: 'quser', args: ['/server:rds1'] }));
      assert.equal(time.elapsed(), 40, 'the latency is waited');
      assert.equal(r.durationMs, 40);
    } finally {
      time.restore();
    }
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /alice/);
    assert.deepEqual([r.timedOut, r.aborted, r.spawnError, r.command], [false, false, null, 'quser /server:rds1']);
  });

  it('never puts stdin in the display command, and quotes hostile args', async () => {
    const runner = createSimulatedRunner(farm);
    const r = await runner.run({ file: 'msg', args: ['2', '/server:rds1'], input: 'secret text' });
    assert.equal(r.exitCode, 0);
    assert.doesNotMatch(r.command, /secret/);
    assert.equal(runner.state().hosts['rds1']?.messages[0]?.text, 'secret text');
    const q = await runner.run({ file: 'quser', args: ['$(whoami)'] });
    assert.equal(q.command, 'quser "$(whoami)"');
  });

  it('a hanging host ends by timeout (timedOut, exitCode null)', async () => {
    const time = useVirtualTime();
    try {
      const r = await time.run(createSimulatedRunner(farm).run({ file: 'quser', args: ['/server:stuck'] }, { timeoutMs: 50 }));
      assert.deepEqual([r.exitCode, r.timedOut, r.aborted], [null, true, false]);
      assert.equal(r.durationMs, 50);
    } finally {
      time.restore();
    }
  });

  it('an AbortSignal ends a hanging or slow call; an already aborted one starts nothing', async () => {
    const runner = createSimulatedRunner(farm);
    const controller = new AbortController();
    const pending = runner.run({ file: 'quser', args: ['/server:stuck'] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const r = await pending;
    assert.deepEqual([r.exitCode, r.timedOut, r.aborted], [null, false, true]);
    const calls = runner.state().calls.length;
    const pre = await runner.run({ file: 'logoff', args: ['2', '/server:rds1'] }, { signal: AbortSignal.abort() });
    assert.equal(pre.aborted, true);
    assert.equal(runner.state().calls.length, calls);
    assert.equal(runner.state().hosts['rds1']?.sessions.some((s) => s.id === 2), true);
  });

  it('its remote shell runs local-only programs on another host, as remoting would', async () => {
    const runner = createSimulatedRunner(farm);
    const blocked = await runner.remoteShell.run('rds1', { file: 'change', args: ['logon', '/drain'] });
    assert.equal(blocked.exitCode, 0);
    const reg = await runner.run({ file: 'reg', args: ['query', '\\\\rds1\\HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode'] });
    assert.match(reg.stdout, /TSServerDrainMode\s+REG_DWORD\s+0x2/);
    // The orchestrating machine itself was not touched.
    const local = await runner.run({ file: 'change', args: ['logon', '/query'] });
    assert.doesNotMatch(local.stdout, /drain/i);
    // The view lends the remote host its "local" role for one call only; the farm state keeps its own.
    assert.equal(runner.state().localHost, 'admin01');
  });

  it('uses the injected clock for self-logoffs', async () => {
    let now = 1_000;
    const f = parseFarm({ localHost: 'a', hosts: { h: { sessions: [{ id: 2, name: 'x', user: 'u', state: 'Active', logsOffAfterMs: 500 }] } } });
    const runner = createSimulatedRunner(f, { now: () => now });
    assert.equal((await runner.run({ file: 'quser', args: ['/server:h'] })).exitCode, 0);
    now = 1_500;
    assert.equal((await runner.run({ file: 'quser', args: ['/server:h'] })).exitCode, 1);
  });

  it('runs 1,000 hosts side by side in one latency', async () => {
    const hosts = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`h${i}`, { latencyMs: 20, sessions: [] }]));
    const time = useVirtualTime();
    try {
      const runner = createSimulatedRunner(parseFarm({ localHost: 'a', hosts }));
      const results = await time.run(Promise.all(Object.keys(hosts).map((h) => runner.run({ file: 'qwinsta', args: [`/server:${h}`] }))));
      assert.ok(results.every((r) => r.exitCode === 0));
      assert.equal(time.elapsed(), 20, 'one latency of virtual time for all 1,000 (how fast it is in real time is for npm run bench)');
    } finally {
      time.restore();
    }
  });

  it('the shipped examples/farm.json loads: several languages, a slow host, users who leave by themselves', async () => {
    const example = await loadFarmFile(fileURLToPath(new URL('../../../examples/farm.json', import.meta.url)));
    const hosts = Object.values(example.hosts);
    assert.ok(new Set(hosts.map((h) => h.language)).size >= 3);
    assert.ok(hosts.some((h) => (h.latencyMs ?? 0) >= 1000));
    assert.ok(hosts.some((h) => h.sessions.some((s) => s.logsOffAfterMs !== undefined)));
    const r = await createSimulatedRunner(example).run({ file: 'quser', args: ['/server:rdsh01'] });
    assert.equal(r.exitCode, 0);
  });

  it('loadFarmFile validates the file: unreadable and non-JSON are ValidationError(farm)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-farm-'));
    try {
      const file = join(dir, 'f.json');
      await writeFile(file, '{ nope');
      for (const path of [file, join(dir, 'missing.json')]) {
        await assert.rejects(loadFarmFile(path), (e: unknown) => e instanceof ValidationError && e.argument === 'farm');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
