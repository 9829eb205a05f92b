import assert from 'node:assert/strict';
import { listSessions } from '../../../src/core/index.js';
import type { RunResult } from '../../../src/run/runner.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';
import { fakeClock } from './clock.js';

const alice: FakeSession = { id: 2, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active', current: true };
const bob: FakeSession = { id: 3, username: 'bob', sessionName: null, state: 'Disc', idle: '1+00:53' };

describe('core/listSessions', () => {
  it('lists the local machine as localhost when no server is given', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice, bob] } });
    const report = await listSessions({ transport });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.sessions.map((s) => [s.host, s.id, s.username, s.state, s.isCurrent]), [
      ['localhost', 2, 'alice', 'Active', true],
      ['localhost', 3, 'bob', 'Disconnected', false],
    ]);
    assert.equal(report.sessions[1]?.idleMinutes, 24 * 60 + 53);
    assert.deepEqual(transport.calls.filter((c) => c.method === 'query'), [{ method: 'query', host: null, detail: 'quser' }]);
  });

  it('allSessions uses query session and includes services, console and listeners', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const report = await listSessions({ transport, servers: ['rds01'], allSessions: true });
    assert.deepEqual(report.sessions.map((s) => [s.host, s.id]), [['rds01', 0], ['rds01', 1], ['rds01', 65536], ['rds01', 3]]);
  });

  it('an empty host (No User exists) is an empty list, not an error', async () => {
    const transport = createFakeTransport({ hosts: { rds01: {} } });
    const report = await listSessions({ transport, servers: ['rds01'] });
    assert.deepEqual(report, { sessions: [], errors: [] });
  });

  it('maps failures to host error codes and keeps the healthy hosts', async () => {
    const transport = createFakeTransport({
      hosts: { ok: { sessions: [bob] }, denied: { fault: 'access-denied' }, kerb: { fault: 'security-package' } },
    });
    const clock = fakeClock();
    const report = await listSessions({ transport, servers: ['ok', 'denied', 'gone', 'kerb'], sleep: clock.sleep });
    assert.deepEqual(report.sessions.map((s) => s.host), ['ok']);
    assert.deepEqual(report.errors.map((e) => [e.host, e.code]), [
      ['denied', 'ERR_ACCESS_DENIED'],
      ['gone', 'ERR_HOST_UNREACHABLE'],
      ['kerb', 'ERR_SECURITY_PACKAGE'],
    ]);
    // A listing needs query rights; Full Control is what a logoff needs (issue 12).
    assert.match(report.errors[0]?.message ?? '', /query rights .*Query Information/);
    assert.doesNotMatch(report.errors[0]?.message ?? '', /Full Control/);
  });

  it('retries RPC unavailable with exponential backoff, and only that', async () => {
    const transport = createFakeTransport({ hosts: { flaky: { transientFailures: 2, sessions: [bob] }, denied: { fault: 'access-denied' } } });
    const clock = fakeClock();
    const report = await listSessions({ transport, servers: ['flaky', 'denied'], sleep: clock.sleep, retryDelayMs: 100, concurrency: 1 });
    assert.deepEqual(report.sessions.map((s) => s.host), ['flaky']);
    assert.deepEqual(clock.slept, [100, 200]);
    assert.equal(transport.calls.filter((c) => c.host === 'flaky').length, 3);
    assert.equal(transport.calls.filter((c) => c.host === 'denied').length, 1, 'access denied is never retried');
  });

  it('gives up on an unreachable host after the retries', async () => {
    const transport = createFakeTransport();
    const clock = fakeClock();
    const report = await listSessions({ transport, servers: ['nosuch'], sleep: clock.sleep, retries: 3 });
    assert.equal(report.errors[0]?.code, 'ERR_HOST_UNREACHABLE');
    assert.equal(transport.calls.filter((c) => c.method === 'query').length, 4);
  });

  // Virtual time (sinon): what these claim about time is exact, and a busy machine cannot break it.
  it('a hanging host is bounded by the timeout, is not retried, and does not delay the others', async () => {
    const transport = createFakeTransport({ hosts: { hang: { fault: 'hang' }, ok: { sessions: [bob], latencyMs: 5 } } });
    const time = useVirtualTime();
    const finished: string[] = [];
    try {
      const running = listSessions({ transport, servers: ['hang', 'ok'], timeoutMs: 100, onProgress: (p) => finished.push(`${p.done} done, ${p.failed} failed at ${time.elapsed()} ms`) });
      const report = await time.run(running);
      // The healthy host is done after its own latency, not after the hanging one; the run ends at the timeout.
      assert.deepEqual(finished, ['1 done, 0 failed at 5 ms', '2 done, 1 failed at 100 ms']);
      assert.equal(time.elapsed(), 100);
      assert.deepEqual(report.errors.map((e) => [e.host, e.code]), [['hang', 'ERR_TIMEOUT']]);
      assert.equal(report.sessions.length, 1);
      assert.equal(transport.calls.filter((c) => c.host === 'hang').length, 1);
    } finally {
      time.restore();
    }
  });

  it('a transport that ignores its timeout is still cut off by the deadline guard', async () => {
    const transport = createFakeTransport({ hosts: { ok: { sessions: [bob] } } });
    transport.query = () => new Promise<RunResult>(() => undefined);
    const time = useVirtualTime();
    try {
      const report = await time.run(listSessions({ transport, servers: ['ok'], timeoutMs: 10 }));
      assert.equal(report.errors[0]?.code, 'ERR_TIMEOUT');
      // The guard's margin past the timeout (2 s today) is the core's to choose; it must be finite and short.
      assert.ok(time.elapsed() > 10 && time.elapsed() <= 10 + 3000, `cut off after ${time.elapsed()} virtual ms`);
    } finally {
      time.restore();
    }
  });

  it('rows the parser cannot read become warnings, never silent drops', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [bob] } } });
    const real = transport.query.bind(transport);
    transport.query = async (host, kind, opts) => {
      const r = await real(host, kind, opts);
      return { ...r, stdout: `${r.stdout} zzz   garbage that is no session row\r\n` };
    };
    const warnings: string[] = [];
    const report = await listSessions({ transport, servers: ['rds01'], onWarning: (m) => warnings.push(m) });
    assert.equal(report.sessions.length, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^rds01: quser line 3/);
  });

  it('bounded concurrency, progress for every host', async () => {
    const hosts = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`h${i}`, { latencyMs: 5, sessions: [bob] }]));
    const transport = createFakeTransport({ hosts });
    const progress: { done: number; total: number; failed: number }[] = [];
    const report = await listSessions({ transport, servers: [...Object.keys(hosts), 'missing'], concurrency: 4, retries: 0, onProgress: (p) => progress.push(p) });
    assert.equal(report.sessions.length, 20);
    assert.ok(transport.peakInFlight <= 4 && transport.peakInFlight >= 2, `peak ${transport.peakInFlight}`);
    assert.equal(progress.length, 21);
    assert.deepEqual(progress.at(-1), { done: 21, total: 21, failed: 1 });
  });

  it('learns the date order once per run', async () => {
    const transport = createFakeTransport({ hosts: { a: { sessions: [bob] }, b: { sessions: [bob] } }, dateOrder: 'dmy' });
    const report = await listSessions({ transport, servers: ['a', 'b'] });
    assert.equal(transport.calls.filter((c) => c.method === 'dateOrder').length, 1);
    // 11/24/2026 cannot be day-first: the parser must not invent a date.
    assert.equal(report.sessions[0]?.logonText, '11/24/2026 9:03 AM');
  });

  it('an abort starts nothing new and reports the hosts not reached', async () => {
    const hosts = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`h${i}`, { latencyMs: 30, sessions: [bob] }]));
    const transport = createFakeTransport({ hosts });
    const controller = new AbortController();
    // In virtual time the abort lands at 45 ms exactly: between the first pair's end (30) and the second's (60).
    const time = useVirtualTime();
    try {
      setTimeout(() => controller.abort(), 45);
      const report = await time.run(listSessions({ transport, servers: Object.keys(hosts), concurrency: 2, signal: controller.signal }));
      assert.equal(report.sessions.length, 2, 'first two finished');
      const codes = report.errors.map((e) => e.code);
      assert.equal(codes.length, 4);
      assert.ok(codes.every((c) => c === 'ERR_ABORTED'));
      assert.equal(transport.calls.filter((c) => c.method === 'query').length, 4, 'two done, two in flight, two never started');
    } finally {
      time.restore();
    }
  });
});
