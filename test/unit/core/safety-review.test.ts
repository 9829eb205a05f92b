/*
 * Regression tests for defects found by the adversarial safety review of the code that changes hosts.
 * Each test failed before its fix.
 */
import assert from 'node:assert/strict';
import { drain, logoff, selectTargets, sendMessage } from '../../../src/core/index.js';
import type { RunOptions } from '../../../src/run/runner.js';
import type { QueryKind } from '../../../src/run/transport.js';
import type { SessionRecord } from '../../../src/types.js';
import { createExecTransport, isLocalHost } from '../../../src/run/exec-transport.js';
import { createFakeTransport, renderQuser, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { fakeClock } from './clock.js';

function session(id: number, username: string | null, sessionName: string | null, state: SessionRecord['state'], extra: Partial<SessionRecord> = {}): SessionRecord {
  return { host: 'rds01', id, username, sessionName, state, stateText: state, idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null, ...extra };
}
const view = (r: { actions: { sessionId: number | null; action: string; status: string }[] }): string[] => r.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`);
const quiet = { onWarning: () => undefined };

describe('core safety review', () => {
  it('--user with a hyphen (svc-backup) matches the whole name; it threw "Invalid escape" on every host', () => {
    const sessions = [session(2, 'svc-backup', null, 'Disconnected'), session(3, 'svc-backup2', null, 'Disconnected'), session(4, 'svc', null, 'Disconnected')];
    assert.deepEqual(selectTargets(sessions, { user: 'svc-backup' }).targets.map((s) => s.id), [2]);
    assert.deepEqual(selectTargets(sessions, { user: 'svc-*' }).targets.map((s) => s.id), [2, 3]);
  });

  it('a session name printed truncated, or shared by several sessions, is refused rather than resolved to the first id', () => {
    // qwinsta cuts long names with "..." (s203-qwinsta-en-truncated): the listener and a user share the printed name.
    const truncated = [session(2, 'avd.user', 'rdp-sxs2208190...', 'Active'), session(65536, null, 'rdp-sxs2208190...', 'Listen')];
    const plan = selectTargets(truncated, { targets: ['rdp-sxs2208190...'] });
    assert.deepEqual(plan.targets, []);
    assert.deepEqual(plan.rejected.map((r) => [r.status, r.sessionId]), [['refused', null]]);
    const twice = [session(2, 'ann', 'ica-cgp#3', 'Active'), session(5, 'bob', 'ICA-CGP#3', 'Active')];
    const plan2 = selectTargets(twice, { targets: ['ica-cgp#3'] });
    assert.deepEqual(plan2.targets, []);
    assert.equal(plan2.rejected[0]?.status, 'refused');
  });

  it('--idle-over never takes the idle time of another user when quser and query session disagree on an id', async () => {
    // query session saw alice as session 5; by the time quser ran, alice had left and bob got id 5, idle for days.
    const alice: FakeSession = { id: 5, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active', idle: '.' };
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), alice] } });
    const query = transport.query.bind(transport);
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => {
      const real = await query(host, kind, options);
      if (kind !== 'quser') return real;
      return { ...real, exitCode: 0, stderr: '', stdout: renderQuser([{ id: 5, username: 'bob', sessionName: null, state: 'Disc', idle: '3+04:05' }]) };
    };
    const report = await logoff({ transport, idleOverMinutes: 120, ...quiet });
    assert.deepEqual(view(report), []);
    assert.deepEqual(transport.mutatingCalls(), []);
  });

  it('an aborted message run reports every target it did not reach as skipped', async () => {
    const users: FakeSession[] = [3, 4, 5].map((id) => ({ id, username: `u${id}`, sessionName: `rdp-tcp#${id}`, state: 'Active' }));
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), ...users] } });
    const controller = new AbortController();
    const message = transport.message.bind(transport);
    transport.message = async (...args: Parameters<typeof message>) => {
      const r = await message(...args);
      controller.abort();
      return r;
    };
    const report = await sendMessage({ transport, all: true, text: 'hi', signal: controller.signal });
    assert.deepEqual(view(report), ['message 3 done', 'message 4 skipped', 'message 5 skipped']);
  });

  it('a drain interrupted between logoffs reports the sessions it did not log off', async () => {
    const users: FakeSession[] = [3, 4, 5].map((id) => ({ id, username: `u${id}`, sessionName: null, state: 'Disc' }));
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), ...users] } });
    const controller = new AbortController();
    const off = transport.logoff.bind(transport);
    transport.logoff = async (...args: Parameters<typeof off>) => {
      const r = await off(...args);
      controller.abort();
      return r;
    };
    const clock = fakeClock();
    const report = await drain({ transport, graceMs: 0, signal: controller.signal, sleep: clock.sleep, now: clock.now });
    assert.deepEqual(view(report).filter((a) => a.startsWith('logoff')), ['logoff 3 done', 'logoff 4 skipped', 'logoff 5 skipped']);
    assert.equal(report.hosts[0]?.status, 'interrupted');
    assert.deepEqual(report.hosts[0]?.sessionsLeft.map((s) => s.id), [4, 5]);
  });

  it('a drain is not verified empty while quser prints a row the parser could not read', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions()] } });
    const query = transport.query.bind(transport);
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => {
      const real = await query(host, kind, options);
      if (kind !== 'quser') return real;
      // A user row whose USERNAME and SESSIONNAME do not line up: the parser drops it with UNREADABLE_ROW.
      const text = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n                       rdp-tcp#4           7  Active          .  11/24/2026 9:03 AM\r\n';
      return { ...real, exitCode: 0, stderr: '', stdout: text };
    };
    const clock = fakeClock();
    const report = await drain({ transport, graceMs: 0, verifyTimeoutMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.deepEqual(transport.mutatingCalls().filter((c) => c.method === 'logoff'), []);
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.match(report.hosts[0]?.reason ?? '', /could not be read/);
  });
});

describe('exec transport: which host is this machine', () => {
  it('an FQDN whose first label is our bare name is not taken for this machine (change logon would run here)', async () => {
    assert.equal(isLocalHost('rds01.other.example', ['RDS01']), false);
    assert.equal(isLocalHost('rds01', ['RDS01']), true);
    assert.equal(isLocalHost('rds01', ['rds01.corp.example']), true);
    const run = async (): Promise<never> => {
      throw new Error('no process may start');
    };
    const transport = createExecTransport({ runner: { run }, platform: 'linux', env: {}, localNames: ['RDS01', 'RDS01'] });
    await assert.rejects(transport.setLogons('rds01.other.example', 'drain'), { code: 'ERR_UNSUPPORTED_OPERATION' });
  });
});

describe('drain and logoff options from library callers', () => {
  it('an unknown blockLogons value is invalid input, never a drain without blocking', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), { id: 3, username: 'ann', sessionName: null, state: 'Disc' }] } });
    // The LogonMode spelling, a likely slip: it used to mean "none" and log everyone off with logons open.
    await assert.rejects(drain({ transport, blockLogons: 'drain-until-restart' as never, graceMs: 0 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'blockLogons' });
    await assert.rejects(drain({ transport, graceMs: Number.NaN }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    await assert.rejects(drain({ transport, remindEveryMs: -1 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'remindEveryMs' });
    await assert.rejects(logoff({ transport, all: true, message: 'bye', graceMs: Number.NaN }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    await assert.rejects(sendMessage({ transport, all: true, text: 'hi', seconds: 1.5 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'seconds' });
    assert.deepEqual(transport.calls, []);
  });
});

describe('logoff outcome after a lost answer', () => {
  it('a logoff that timed out and whose session is gone does not claim the session had already ended', async () => {
    const transport = createFakeTransport({ local: { sessions: [...systemSessions(), { id: 3, username: 'ann', sessionName: null, state: 'Disc' }] } });
    const off = transport.logoff.bind(transport);
    transport.logoff = async (...args: Parameters<typeof off>) => ({ ...(await off(...args)), exitCode: null, timedOut: true });
    const report = await logoff({ transport, targets: ['3'] });
    assert.deepEqual(view(report), ['logoff 3 already-gone']);
    assert.doesNotMatch(report.actions[0]?.reason ?? '', /already ended/);
    assert.match(report.actions[0]?.reason ?? '', /gave no answer/);
    assert.deepEqual(transport.mutatingCalls().map((c) => c.method), ['logoff']);
  });
});
