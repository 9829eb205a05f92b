import assert from 'node:assert/strict';
import sinon from 'sinon';
import { exitCodeFor, logoff } from '../../../src/core/index.js';
import type { AuditEvent } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';
import { fakeClock } from './clock.js';

const me: FakeSession = { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active', current: true };
const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc', idle: '3+04:05' };
const farm = (): FakeSession[] => [...systemSessions(), me, alice, bob];
const view = (r: { actions: { sessionId: number | null; action: string; status: string }[] }): string[] => r.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`);

describe('core/logoff', () => {
  it('no target at all is a ValidationError and nothing runs', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await assert.rejects(logoff({ transport }), { code: 'ERR_INVALID_ARGUMENT', argument: 'target' });
    assert.deepEqual(transport.calls, []);
  });

  it('bad hosts, targets or message text are rejected before any call', async () => {
    const transport = createFakeTransport();
    await assert.rejects(logoff({ transport, servers: ['ok', '$(whoami)'], all: true }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(logoff({ transport, targets: ['0'] }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(logoff({ transport, targets: ['console'] }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(logoff({ transport, all: true, message: 'x'.repeat(256) }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.deepEqual(transport.calls, []);
  });

  it('an Active user whose warning failed is not logged off without it; the others are', async () => {
    const carol: FakeSession = { id: 5, username: 'carol', sessionName: 'rdp-tcp#8', state: 'Active' };
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...farm(), carol] } } });
    const send = transport.message.bind(transport);
    sinon.stub(transport, 'message').callsFake((host, id, text, opts) =>
      id === 3
        ? Promise.resolve({ command: 'msg', exitCode: 1, stdout: '', stderr: 'Error sending message to session 3 : Error 2147500058\r\n', timedOut: false, aborted: false, spawnError: null, durationMs: 1 })
        : send(host, id, text, opts),
    );
    const clock = fakeClock();
    const report = await logoff({ transport, servers: ['rds01'], targets: ['3', '5'], message: 'Logoff in 5 min', graceMs: 300_000, sleep: clock.sleep, now: clock.now });
    assert.deepEqual(view(report), ['message 3 failed', 'message 5 done', 'logoff 3 skipped', 'logoff 5 done']);
    assert.deepEqual(transport.host('rds01').sessions.map((s) => s.id).filter((id) => id === 3 || id === 5), [3]);
    assert.equal(exitCodeFor(report), 1);
  });

  it('--all logs off user sessions by explicit id, never services/console/listener/own', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await logoff({ transport, all: true, onWarning: () => undefined });
    assert.deepEqual(view(report), ['logoff 3 done', 'logoff 4 done']);
    assert.deepEqual(transport.mutatingCalls().map((c) => c.detail), ['3', '4']);
    assert.deepEqual(transport.host(null).sessions.map((s) => s.id), [0, 1, 65536, 2]);
    assert.equal(exitCodeFor(report), 0);
  });

  it('--self logs off the caller by its id', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await logoff({ transport, self: true, onWarning: () => undefined });
    assert.deepEqual(view(report), ['logoff 2 done']);
    assert.deepEqual(transport.mutatingCalls(), [{ method: 'logoff', host: null, detail: '2' }]);
  });

  it('dry run plans and makes no mutating call', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await logoff({ transport, all: true, dryRun: true, message: 'bye', graceMs: 60_000 });
    assert.deepEqual(view(report), ['message 3 planned', 'logoff 3 planned', 'message 4 skipped', 'logoff 4 planned']);
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.equal(exitCodeFor(report), 0);
  });

  it('not-found and refused are reported, the others still processed, exit 1', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await logoff({ transport, targets: ['42', '2', 'rdp-tcp', '4'] });
    assert.deepEqual(view(report), ['logoff 42 not-found', 'logoff 2 refused', 'logoff 65536 refused', 'logoff 4 done']);
    assert.equal(exitCodeFor(report), 1);
  });

  it('a session name resolves to its id through a fresh query', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: farm() } } });
    const report = await logoff({ transport, servers: ['rds01'], targets: ['RDP-TCP#6'], onWarning: () => undefined });
    assert.deepEqual(view(report), ['logoff 3 done']);
    assert.deepEqual(transport.calls.map((c) => `${c.method} ${c.detail}`), ['dateOrder ', 'query query-session', 'logoff 3']);
  });

  it('logging off an Active session without a message warns', async () => {
    const warnings: string[] = [];
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await logoff({ transport, targets: ['3'], onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /lose unsaved work.*--message and --grace/);
    warnings.length = 0;
    await logoff({ transport: createFakeTransport({ local: { sessions: farm() } }), targets: ['4'], onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings, [], 'disconnected only: no warning');
  });

  it('a failed logoff whose session is gone on re-query is already-gone', async () => {
    const transport = createFakeTransport({ local: { sessions: farm(), logoffFault: 'error-but-gone' } });
    const report = await logoff({ transport, targets: ['4'] });
    assert.deepEqual(view(report), ['logoff 4 already-gone']);
    assert.equal(exitCodeFor(report), 0);
  });

  it('a failed logoff whose session is still there is failed; access denied asks for Full Control', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: farm(), logoffFault: 'access-denied' } } });
    const events: AuditEvent[] = [];
    const report = await logoff({ transport, servers: ['rds01'], targets: ['4'], onEvent: (e) => events.push(e), operator: 'ops' });
    assert.deepEqual(view(report), ['logoff 4 failed']);
    assert.match(report.actions[0]?.reason ?? '', /Full Control/);
    assert.equal(events.length, 1);
    assert.deepEqual({ ...events[0], time: 'T' }, { time: 'T', operator: 'ops', host: 'rds01', sessionId: 4, username: 'bob', action: 'logoff', result: 'failed', reason: report.actions[0]?.reason });
    assert.equal(exitCodeFor(report), 1);
  });

  it('--message warns Active targets, skips disconnected ones, waits the grace once, then logs off', async () => {
    const clock = fakeClock();
    const carol: FakeSession = { id: 5, username: 'carol', sessionName: 'rdp-tcp#7', state: 'Active' };
    // rds01 is this machine: /server:rds01 prints no `>`, and the caller (me, 2) is protected by the local-host rule.
    const transport = createFakeTransport({ localNames: ['rds01'], local: { sessions: [...farm(), carol] } });
    const events: AuditEvent[] = [];
    const report = await logoff({ transport, servers: ['rds01'], all: true, message: 'Logging off in 5 min', graceMs: 300_000, sleep: clock.sleep, now: clock.now, onEvent: (e) => events.push(e) });
    assert.deepEqual(view(report), ['message 3 done', 'message 4 skipped', 'message 5 done', 'logoff 3 done', 'logoff 4 done', 'logoff 5 done']);
    assert.deepEqual(clock.slept, [300_000]);
    assert.deepEqual(transport.host('rds01').messages.map((m) => [m.id, m.text]), [[3, 'Logging off in 5 min'], [5, 'Logging off in 5 min']]);
    assert.deepEqual(events.map((e) => `${e.action} ${e.sessionId} ${e.result}`), ['message 3 done', 'message 5 done', 'logoff 3 done', 'logoff 4 done', 'logoff 5 done']);
  });

  it('after the grace, sessions that left are already-gone and a reused id is left alone', async () => {
    const clock = fakeClock();
    const leaver: FakeSession = { ...alice, leavesAfterMessageMs: 0 };
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), leaver, { id: 6, username: 'dave', sessionName: 'rdp-tcp#8', state: 'Active' }] } } });
    const host = transport.host('rds01');
    const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
      await clock.sleep(ms, signal);
      // During the grace dave logs off and eve gets his id.
      host.sessions = host.sessions.filter((s) => s.id !== 6).concat({ id: 6, username: 'eve', sessionName: 'rdp-tcp#9', state: 'Active' });
    };
    const report = await logoff({ transport, servers: ['rds01'], all: true, message: 'bye', graceMs: 1000, sleep, now: clock.now });
    assert.deepEqual(view(report), ['message 3 done', 'message 6 done', 'logoff 3 already-gone', 'logoff 6 already-gone']);
    assert.match(report.actions[3]?.reason ?? '', /now belongs to eve/);
    assert.deepEqual(transport.calls.filter((c) => c.method === 'logoff'), []);
    assert.equal(host.sessions.find((s) => s.id === 6)?.username, 'eve');
  });

  it('a host that cannot be queried is an error for that host only', async () => {
    const transport = createFakeTransport({ hosts: { ok: { sessions: farm() }, denied: { fault: 'access-denied' } } });
    const report = await logoff({ transport, servers: ['denied', 'ok'], targets: ['4'] });
    assert.deepEqual(report.errors.map((e) => [e.host, e.code]), [['denied', 'ERR_ACCESS_DENIED']]);
    assert.deepEqual(report.actions.map((a) => [a.host, a.status]), [['ok', 'done']]);
    assert.equal(exitCodeFor(report), 1);
  });

  it('--idle-over merges quser idle data into query session rows', async () => {
    const transport = createFakeTransport({ local: { sessions: [...farm(), { id: 7, username: 'fresh', sessionName: null, state: 'Disc', idle: '5' }] } });
    const report = await logoff({ transport, idleOverMinutes: 60 });
    assert.deepEqual(view(report), ['logoff 4 done']);
  });

  it('an abort while warning reports the warnings not sent and the logoffs not done', async () => {
    const carol: FakeSession = { id: 5, username: 'carol', sessionName: 'rdp-tcp#8', state: 'Active' };
    const controller = new AbortController();
    const transport = createFakeTransport({ local: { sessions: [...farm(), carol] } });
    const send = transport.message.bind(transport);
    // The interrupt arrives while the first warning is being delivered.
    sinon.stub(transport, 'message').callsFake(async (host, id, text, opts) => {
      const result = await send(host, id, text, opts);
      controller.abort();
      return result;
    });
    const report = await logoff({ transport, targets: ['3', '5'], message: 'bye', graceMs: 60_000, signal: controller.signal });
    assert.equal(report.interrupted, true);
    assert.deepEqual(view(report), ['message 3 done', 'message 5 skipped', 'logoff 3 skipped', 'logoff 5 skipped']);
    assert.deepEqual(transport.calls.filter((c) => c.method === 'logoff'), []);
  });

  it('an abort during the grace reports the messages sent and the logoffs not done', async () => {
    const controller = new AbortController();
    const transport = createFakeTransport({ local: { sessions: farm() } });
    // Virtual time: the abort lands 30 ms into the minute's grace, however busy the machine (a real 30 ms timer
    // could fire before the warning went out when the event loop stalls).
    const time = useVirtualTime();
    try {
      setTimeout(() => controller.abort(), 30);
      const report = await time.run(logoff({ transport, targets: ['3'], message: 'bye', graceMs: 60_000, signal: controller.signal }));
      assert.equal(report.interrupted, true);
      assert.deepEqual(view(report), ['message 3 done', 'logoff 3 skipped']);
      assert.deepEqual(transport.calls.filter((c) => c.method === 'logoff'), []);
    } finally {
      time.restore();
    }
  });
});
