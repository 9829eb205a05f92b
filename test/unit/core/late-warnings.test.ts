/*
 * Warnings that reach everyone (issue 9). A user who reconnects during the grace period (Disconnected when
 * planned, Active now) is warned before being logged off, and gets at least the late notice after that
 * warning; every user warned at the start gets at least the full grace after their own warning, and the
 * deadline the default text names is theirs. In drain as in logoff --message --grace. Virtual time only.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { drain, logoff } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession, type FakeTransport } from '../../helpers/fake-transport.js';
import { useVirtualTime } from '../../helpers/virtual-time.js';
import { recordCalls, type RecordedCall } from '../../helpers/record-calls.js';

const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
const MINUTE = 60_000;
// useVirtualTime's start: every recorded time is ms since then.
const T0 = Date.parse('2026-11-25T14:00:00');

type Call = RecordedCall;

function record(transport: FakeTransport, messageMs = 0, onMessage?: (id: number) => void): Call[] {
  return recordCalls(transport, { t0: T0, messageMs, ...(onMessage ? { onMessage } : {}) });
}

/** At virtual time `at`, session `id` reconnects (Active, with a session name again). */
function reconnectAt(transport: FakeTransport, host: string, id: number, at: number): void {
  setTimeout(() => {
    const session = transport.host(host).sessions.find((s) => s.id === id);
    if (session) Object.assign(session, { state: 'Active', sessionName: `rdp-tcp#${id + 10}` });
  }, at);
}

/** At virtual time `at`, session `id` disconnects. */
function disconnectAt(transport: FakeTransport, host: string, id: number, at: number): void {
  setTimeout(() => {
    const session = transport.host(host).sessions.find((s) => s.id === id);
    if (session) Object.assign(session, { state: 'Disc', sessionName: null });
  }, at);
}

const first = (calls: Call[], what: Call['what'], id: number): Call => {
  const found = calls.find((c) => c.what === what && c.id === id);
  assert.ok(found, `no ${what} for session ${id}: ${JSON.stringify(calls.map((c) => `${c.what} ${c.id}`))}`);
  return found;
};

/** "… logged off at HH:MM …" as minutes of the day. */
const namedMinute = (text: string): number => {
  const m = /at (\d\d):(\d\d)/.exec(text);
  assert.ok(m, text);
  return Number(m[1]) * 60 + Number(m[2]);
};
const minuteOf = (ms: number): number => new Date(T0 + ms).getHours() * 60 + new Date(T0 + ms).getMinutes();

describe('drain: warnings reach everyone', () => {
  for (const at of [30_000, 300_000, 595_000]) {
    it(`a user who reconnects ${at / 1000} s into a 10 min grace is warned and gets at least the late notice (1 min) before the logoff`, async () => {
      const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
      const calls = record(transport);
      const time = useVirtualTime();
      try {
        reconnectAt(transport, 'rds01', 4, at);
        const report = await time.run(drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 10 * MINUTE, pollIntervalMs: 10_000 }));
        assert.equal(report.hosts[0]?.status, 'drained');
        const warned = first(calls, 'message', 4);
        const off = first(calls, 'logoff', 4);
        assert.ok(off.start >= warned.end + MINUTE, `bob warned at ${warned.end}, logged off at ${off.start}`);
        // Alice, warned at the start, still gets her whole grace.
        assert.ok(first(calls, 'logoff', 3).start >= first(calls, 'message', 3).end + 10 * MINUTE);
        // The text names bob's own deadline, which his logoff does not come before.
        assert.ok(namedMinute(warned.text) <= minuteOf(off.start));
        assert.ok(namedMinute(warned.text) >= minuteOf(warned.start + MINUTE));
      } finally {
        time.restore();
      }
    });
  }

  it('lateNoticeMs sets the late notice', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const calls = record(transport);
    const time = useVirtualTime();
    try {
      reconnectAt(transport, 'rds01', 4, 595_000);
      await time.run(drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 10 * MINUTE, pollIntervalMs: 10_000, lateNoticeMs: 3 * MINUTE }));
      assert.ok(first(calls, 'logoff', 4).start >= first(calls, 'message', 4).end + 3 * MINUTE);
    } finally {
      time.restore();
    }
  });

  it('reminders go to who is Active now: not to a user who disconnected, and to one who reconnected', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const calls = record(transport);
    const time = useVirtualTime();
    try {
      disconnectAt(transport, 'rds01', 3, 50_000);
      reconnectAt(transport, 'rds01', 4, 50_000);
      await time.run(drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 10 * MINUTE, remindEveryMs: 2 * MINUTE, pollIntervalMs: 10_000 }));
      const to = (id: number): number[] => calls.filter((c) => c.what === 'message' && c.id === id).map((c) => c.start);
      assert.deepEqual(to(3), [0], 'alice: only her first warning, sent while she was Active');
      assert.ok(to(4).length >= 2, `bob: a warning when he came back, then reminders: ${JSON.stringify(to(4))}`);
      assert.ok((to(4)[0] ?? Infinity) <= 60_000, 'bob is warned at the first poll after he reconnected');
    } finally {
      time.restore();
    }
  });

  it('on a busy host (each msg takes 20 s) every user gets the full grace after their own warning, and the named deadline is theirs', async () => {
    const users: FakeSession[] = [5, 6, 7].map((id) => ({ id, username: `u${id}`, sessionName: `rdp-tcp#${id}`, state: 'Active' }));
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), ...users] } } });
    const calls = record(transport, 20_000);
    const time = useVirtualTime();
    try {
      const report = await time.run(drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: MINUTE, pollIntervalMs: 10_000 }));
      assert.equal(report.hosts[0]?.status, 'drained');
      for (const { id } of users) {
        const warned = first(calls, 'message', id);
        const off = first(calls, 'logoff', id);
        assert.ok(off.start >= warned.end + MINUTE, `u${id}: warned ${warned.start}-${warned.end}, logged off at ${off.start}`);
        // Not held for the last one warned either: each goes at their own deadline (queries take no time here).
        assert.equal(off.start, warned.end + MINUTE, `u${id}`);
        assert.equal(namedMinute(warned.text), minuteOf(warned.start + MINUTE), `u${id}: ${warned.text}`);
        assert.ok(namedMinute(warned.text) <= minuteOf(off.start));
      }
    } finally {
      time.restore();
    }
  });
});

describe('logoff --message --grace: warnings reach everyone', () => {
  it('a target that reconnected during the grace is warned, then logged off after the late notice (default 1 min)', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const calls = record(transport);
    const time = useVirtualTime();
    try {
      reconnectAt(transport, 'rds01', 4, 100_000);
      const report = await time.run(logoff({ transport, servers: ['rds01'], all: true, message: 'Logoff soon, save your work', graceMs: 5 * MINUTE }));
      assert.deepEqual(report.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`), ['message 3 done', 'message 4 skipped', 'message 4 done', 'logoff 3 done', 'logoff 4 done']);
      const warned = first(calls, 'message', 4);
      assert.equal(warned.start, 5 * MINUTE);
      assert.equal(first(calls, 'logoff', 4).start, 6 * MINUTE, 'exactly the late notice after his warning');
    } finally {
      time.restore();
    }
  });

  it('lateNoticeMs sets it; a late warning that fails keeps that user from being logged off', async () => {
    const carol: FakeSession = { id: 5, username: 'carol', sessionName: null, state: 'Disc' };
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob, carol] } } });
    const calls = record(transport);
    const time = useVirtualTime();
    try {
      reconnectAt(transport, 'rds01', 4, 100_000);
      reconnectAt(transport, 'rds01', 5, 100_000);
      const send = (transport.message as sinon.SinonStub).wrappedMethod.bind(transport);
      (transport.message as sinon.SinonStub).callsFake(async (host: string | null, id: number, text: string, opts: object) => {
        if (id === 5) return { command: 'msg', exitCode: 1, stdout: '', stderr: 'Error sending message to session 5 : Error 2147500058\r\n', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };
        const start = Date.now() - T0;
        const result = await send(host, id, text, opts);
        calls.push({ what: 'message', id, start, end: Date.now() - T0, text });
        return result;
      });
      const report = await time.run(logoff({ transport, servers: ['rds01'], all: true, message: 'bye', graceMs: 5 * MINUTE, lateNoticeMs: 30_000 }));
      assert.deepEqual(report.actions.filter((a) => a.sessionId !== 3).map((a) => `${a.action} ${a.sessionId} ${a.status}`), [
        'message 4 skipped', 'message 5 skipped', 'message 4 done', 'message 5 failed', 'logoff 5 skipped', 'logoff 4 done',
      ]);
      assert.equal(first(calls, 'logoff', 4).start, 5 * MINUTE + 30_000);
    } finally {
      time.restore();
    }
  });

  it('every user warned at the start gets the full grace after their own warning, also when each msg takes 20 s', async () => {
    const users: FakeSession[] = [5, 6, 7].map((id) => ({ id, username: `u${id}`, sessionName: `rdp-tcp#${id}`, state: 'Active' }));
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), ...users] } } });
    const calls = record(transport, 20_000);
    const time = useVirtualTime();
    try {
      await time.run(logoff({ transport, servers: ['rds01'], all: true, message: 'bye', graceMs: MINUTE }));
      for (const { id } of users) assert.ok(first(calls, 'logoff', id).start >= first(calls, 'message', id).end + MINUTE, `u${id}`);
    } finally {
      time.restore();
    }
  });
});

describe('lateNoticeMs is checked before anything runs', () => {
  it('out of range, or on a logoff without a message: ValidationError naming it, no call made', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice] } });
    for (const value of [-1, Number.NaN, 86_400_001]) {
      await assert.rejects(logoff({ transport, all: true, message: 'bye', graceMs: 0, lateNoticeMs: value }), { code: 'ERR_INVALID_ARGUMENT', argument: 'lateNoticeMs' });
      await assert.rejects(drain({ transport, lateNoticeMs: value }), { code: 'ERR_INVALID_ARGUMENT', argument: 'lateNoticeMs' });
    }
    await assert.rejects(logoff({ transport, all: true, lateNoticeMs: 30_000 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'lateNoticeMs' });
    assert.deepEqual(transport.calls, []);
  });
});

describe('the default drain text', () => {
  it('never promises more time than is left: minutes round down, HH:MM is the minute the deadline falls in', async () => {
    const { defaultDrainMessage } = await import('../../../src/core/index.js');
    const now = new Date(2026, 10, 25, 13, 55, 30);
    assert.match(defaultDrainMessage(new Date(now.getTime() + 9.5 * MINUTE), now), /at 14:05 \(in 9 minutes\)/);
    assert.match(defaultDrainMessage(new Date(now.getTime() + MINUTE), now), /at 13:56 \(in 1 minute\)/);
    assert.match(defaultDrainMessage(new Date(now.getTime() + 59_000), now), /at 13:56 \(in less than a minute\)/);
  });
});
