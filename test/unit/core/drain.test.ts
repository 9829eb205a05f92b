import assert from 'node:assert/strict';
import { defaultDrainMessage, drain, exitCodeFor } from '../../../src/core/index.js';
import type { AuditEvent } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';
import { fakeClock } from './clock.js';

const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
const view = (r: { actions: { sessionId: number | null; action: string; status: string }[] }): string[] => r.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`);

describe('core/drain', () => {
  it('an empty server list (an empty CI shard) touches no host, not even this machine', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active' }] } });
    const report = await drain({ transport, servers: [], graceMs: 0 });
    assert.deepEqual(transport.calls, []);
    assert.deepEqual([report.hosts, report.actions, report.errors], [[], [], []]);
    assert.equal(exitCodeFor(report), 0);
  });

  it('blocks logons, warns, waits, logs off, verifies: drained', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice, bob] } });
    const events: AuditEvent[] = [];
    const report = await drain({ transport, graceMs: 600_000, pollIntervalMs: 60_000, sleep: clock.sleep, now: clock.now, onEvent: (e) => events.push(e) });
    assert.deepEqual(report.hosts, [{ host: 'localhost', status: 'drained', reason: null, sessionsLeft: [] }]);
    assert.deepEqual(view(report), ['block-logons null done', 'message 3 done', 'logoff 3 done', 'logoff 4 done', 'verify null done']);
    assert.equal(transport.host(null).logons, 'drain');
    assert.equal(transport.host(null).messages[0]?.text, 'This server is going down for maintenance. Save your work: you will be logged off at 14:10 (in 10 minutes).');
    assert.equal(clock.elapsed(), 600_000, 'waited the whole grace: nobody left by themselves');
    assert.deepEqual(events.map((e) => e.action), ['block-logons', 'message', 'logoff', 'logoff']);
    assert.equal(exitCodeFor(report), 0);
  });

  it('ends the grace early when everybody left, and reminds every remindEveryMs', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, { ...bob, state: 'Active', sessionName: 'rdp-tcp#7' }] } } });
    const host = transport.host('rds01');
    const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
      await clock.sleep(ms, signal);
      if (clock.elapsed() >= 150_000) host.sessions = host.sessions.filter((s) => s.id !== 3);
      if (clock.elapsed() >= 250_000) host.sessions = host.sessions.filter((s) => s.id !== 4);
    };
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 600_000, remindEveryMs: 120_000, pollIntervalMs: 50_000, sleep, now: clock.now });
    assert.equal(report.hosts[0]?.status, 'drained');
    // Polls at 50k, 100k, 120k (reminder), 170k (alice gone), 220k, 240k (reminder to bob only), 290k (bob gone).
    assert.equal(clock.elapsed(), 290_000);
    assert.deepEqual(host.messages.map((m) => `${m.id} ${m.text.match(/\(in .*\)/)?.[0]}`), ['3 (in 10 minutes)', '4 (in 10 minutes)', '3 (in 8 minutes)', '4 (in 8 minutes)', '4 (in 6 minutes)']);
    assert.ok(!transport.calls.some((c) => c.method === 'logoff' || c.method === 'setLogons'));
  });

  it('exec transport + remote host: fails that host before anyone is warned, with the fix', async () => {
    const transport = createFakeTransport({ name: 'exec', hosts: { rds01: { sessions: [...systemSessions(), alice] } } });
    const report = await drain({ transport, servers: ['rds01'], graceMs: 0 });
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.match(report.hosts[0]?.reason ?? '', /--transport powershell.*--block-logons none/);
    assert.deepEqual(report.errors.map((e) => e.code), ['ERR_UNSUPPORTED_OPERATION']);
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.equal(exitCodeFor(report), 1);
  });

  it('never logs off the console or the caller: refused, host failed with sessions left', async () => {
    const clock = fakeClock();
    const console_: FakeSession = { id: 1, username: 'admin', sessionName: 'console', state: 'Active' };
    const me: FakeSession = { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active', current: true };
    const transport = createFakeTransport({ local: { sessions: [systemSessions()[0] as FakeSession, console_, me, bob] } });
    const report = await drain({ transport, graceMs: 0, verifyTimeoutMs: 5_000, pollIntervalMs: 1_000, sleep: clock.sleep, now: clock.now });
    assert.deepEqual(view(report), ['block-logons null done', 'logoff 1 refused', 'logoff 2 refused', 'logoff 4 done', 'verify null failed']);
    const host = report.hosts[0];
    assert.equal(host?.status, 'failed');
    assert.deepEqual(host?.sessionsLeft.map((s) => s.id), [1, 2]);
    assert.match(host?.reason ?? '', /2 user session\(s\) left: admin \(1 console\), me \(2 rdp-tcp#1\)/);
    assert.deepEqual(transport.calls.filter((c) => c.method === 'logoff').map((c) => c.detail), ['4']);
  });

  it('dry run plans every step and changes nothing', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice, bob] } });
    const report = await drain({ transport, graceMs: 60_000, dryRun: true });
    assert.deepEqual(view(report), ['block-logons null planned', 'message 3 planned', 'logoff 3 planned', 'logoff 4 planned', 'verify null planned']);
    assert.equal(report.hosts[0]?.status, 'planned');
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.equal(exitCodeFor(report), 0);
  });

  it('dry run with the exec transport and a remote host predicts the block failure', async () => {
    const transport = createFakeTransport({ name: 'exec', hosts: { rds01: {} } });
    const report = await drain({ transport, servers: ['rds01'], dryRun: true });
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.equal(exitCodeFor(report), 1);
  });

  it('verification that times out fails the host with the sessions left', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob], logoffFault: 'access-denied' } } });
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 10_000, pollIntervalMs: 5_000, sleep: clock.sleep, now: clock.now });
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.deepEqual(report.hosts[0]?.sessionsLeft.map((s) => s.username), ['bob']);
    assert.match(report.actions.find((a) => a.action === 'logoff')?.reason ?? '', /Full Control/);
    assert.deepEqual(clock.slept, [2000, 2000, 2000, 2000, 2000]);
  });

  it('a host that cannot be listed fails; the others drain', async () => {
    const transport = createFakeTransport({ hosts: { ok: { sessions: [bob] }, denied: { fault: 'access-denied' } } });
    const report = await drain({ transport, servers: ['ok', 'denied'], blockLogons: 'none', graceMs: 0 });
    assert.deepEqual(report.hosts.map((h) => [h.host, h.status]), [['ok', 'drained'], ['denied', 'failed']]);
    assert.equal(report.errors[0]?.code, 'ERR_ACCESS_DENIED');
  });

  it('the default message names the deadline', () => {
    const now = new Date(2026, 10, 25, 13, 55, 30);
    assert.equal(defaultDrainMessage(new Date(2026, 10, 25, 14, 5, 30), now), 'This server is going down for maintenance. Save your work: you will be logged off at 14:05 (in 10 minutes).');
    assert.match(defaultDrainMessage(new Date(now.getTime() + 20_000), now), /in less than a minute/);
  });

  it('an abort mid-grace reports the host interrupted with what was done', async () => {
    const controller = new AbortController();
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice] } });
    // Virtual time: the abort lands 30 ms into the minute's grace, however busy the machine (a real 30 ms timer
    // could fire before the warning went out when the event loop stalls).
    const time = useVirtualTime();
    try {
      setTimeout(() => controller.abort(), 30);
      const report = await time.run(drain({ transport, graceMs: 60_000, pollIntervalMs: 10_000, signal: controller.signal }));
      assert.equal(report.interrupted, true);
      assert.deepEqual(report.hosts.map((h) => h.status), ['interrupted']);
      assert.deepEqual(view(report), ['block-logons null done', 'message 3 done']);
      assert.equal(exitCodeFor(report), 1);
    } finally {
      time.restore();
    }
  });
});
