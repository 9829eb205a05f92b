import assert from 'node:assert/strict';
import { drain, exitCodeFor, type DrainHostStatus } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeHostSpec, type FakeSession } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';

/*
 * Issue 4's fault test: 100 hosts, 10% hanging, 5% access denied, 5% unknown names, and users who log
 * themselves off during the grace period. It runs in virtual time (sinon's fake timers): latency, timeouts, the
 * grace period and users leaving are timers fired in due order, so the bound below is exact and no load on the
 * machine can break it (a wall-clock bound here failed on a busy 2-core machine).
 */
describe('core/fault: 100 hosts drained under faults', () => {
  it('ends within its bound, gives every host the right status, leaves no session on a healthy host', async () => {
    const hosts: Record<string, FakeHostSpec> = {};
    const expected = new Map<string, { status: DrainHostStatus; code?: string }>();
    const servers: string[] = [];
    for (let i = 0; i < 100; i++) {
      const name = `rds${String(i).padStart(3, '0')}`;
      servers.push(name);
      if (i % 10 === 0) {
        hosts[name] = { fault: 'hang' };
        expected.set(name, { status: 'failed', code: 'ERR_TIMEOUT' });
      } else if (i % 20 === 1) {
        hosts[name] = { fault: 'access-denied' };
        expected.set(name, { status: 'failed', code: 'ERR_ACCESS_DENIED' });
      } else if (i % 20 === 2) {
        // Not in the fake's table: answers like a name nobody serves (RPC unavailable).
        expected.set(name, { status: 'failed', code: 'ERR_HOST_UNREACHABLE' });
      } else {
        const users: FakeSession[] = [
          { id: 2, username: `leaver${i}`, sessionName: 'rdp-tcp#1', state: 'Active', leavesAfterMessageMs: 50 + (i % 7) * 20 },
          { id: 3, username: `stayer${i}`, sessionName: 'rdp-tcp#2', state: 'Active' },
          { id: 4, username: `away${i}`, sessionName: null, state: 'Disc', idle: '2:10' },
        ];
        hosts[name] = { sessions: [...systemSessions(), ...users], latencyMs: 3 + (i % 5) };
        expected.set(name, { status: 'drained' });
      }
    }
    const transport = createFakeTransport({ hosts });
    const timeoutMs = 200;
    const graceMs = 300;
    const concurrency = 32;
    const time = useVirtualTime();
    const running = drain({
      transport,
      servers,
      concurrency,
      timeoutMs,
      graceMs,
      pollIntervalMs: 50,
      verifyTimeoutMs: 500,
      retryDelayMs: 10,
      onWarning: () => undefined,
    });
    let report: Awaited<typeof running>;
    let elapsed: number;
    try {
      report = await time.run(running);
      elapsed = time.elapsed();
    } finally {
      time.restore();
    }

    // Bound: 4 waves of 32; a healthy host needs a handful of calls plus its grace, a faulty one at most one timeout.
    // In virtual time no factor is needed: a hanging host holding its slot past its timeout, or the others
    // waiting for it, would break it.
    const perHostBound = graceMs + 12 * 10 + timeoutMs;
    assert.ok(elapsed <= Math.ceil(100 / concurrency) * perHostBound, `took ${elapsed} virtual ms`);
    assert.equal(report.hosts.length, 100);
    for (const host of report.hosts) {
      const want = expected.get(host.host);
      assert.equal(host.status, want?.status, `${host.host}: ${host.reason}`);
      if (want?.code) assert.ok(report.errors.some((e) => e.host === host.host && e.code === want.code), `${host.host} error ${want.code}`);
      if (want?.status === 'drained') {
        assert.deepEqual(transport.host(host.host).sessions.map((s) => s.id), [0, 1, 65536], `${host.host} left empty`);
        // The leaver went by themselves; only the others needed a logoff.
        assert.deepEqual(transport.calls.filter((c) => c.host === host.host && c.method === 'logoff').map((c) => c.detail), ['3', '4']);
      }
    }
    // Nobody on a failed host was warned: each failed before step 3.
    assert.ok(!transport.calls.some((c) => c.method === 'message' && expected.get(c.host ?? '')?.status === 'failed'));
    assert.equal(transport.inFlight, 0, 'no call left running');
    assert.equal(report.interrupted, false);
    assert.equal(exitCodeFor(report), 1);
  });
});
