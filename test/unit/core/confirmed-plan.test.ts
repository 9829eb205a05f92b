/*
 * Show, then ask (issue 12): a dry run's report is the plan the operator sees; passed back as `plan`, the
 * real run acts on exactly what it planned and never more. Everything that changed in between (a new
 * session that matches, an id now held by someone else, a Disconnected user now Active, a host that could
 * not be planned) is reported, not acted on.
 */
import assert from 'node:assert/strict';
import { drain, exitCodeFor, logoff, logons } from '../../../src/core/index.js';
import type { AuditEvent } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';

const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
const view = (r: { actions: { host: string; sessionId: number | null; action: string; status: string }[] }): string[] =>
  r.actions.map((a) => `${a.host} ${a.action} ${a.sessionId} ${a.status}`);
const quiet = { onWarning: () => undefined };

describe('core: a confirmed plan (dry run, shown, then the real run with plan)', () => {
  it('planned session actions carry the state the session had, so a plan can say who loses unsaved work', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const plan = await logoff({ transport, servers: ['rds01'], all: true, dryRun: true, ...quiet });
    assert.deepEqual(
      plan.actions.map((a) => [a.sessionId, a.state]),
      [[3, 'Active'], [4, 'Disconnected']],
    );
  });

  it('nothing changed in between: exactly the planned sessions are logged off, and no second unsaved-work warning', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const planWarnings: string[] = [];
    const plan = await logoff({ transport, servers: ['rds01'], all: true, dryRun: true, onWarning: (w) => planWarnings.push(w) });
    assert.equal(planWarnings.length, 1, 'the plan warns that alice loses unsaved work');
    const warnings: string[] = [];
    const report = await logoff({ transport, servers: ['rds01'], all: true, plan, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(view(report), ['rds01 logoff 3 done', 'rds01 logoff 4 done']);
    assert.deepEqual(warnings, [], 'the warning was part of what the operator confirmed');
    assert.equal(exitCodeFor(report), 0);
  });

  it('a session that matches only now is left alone (skipped), never logged off', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const plan = await logoff({ transport, servers: ['rds01'], all: true, dryRun: true, ...quiet });
    transport.host('rds01').sessions.push({ id: 5, username: 'carol', sessionName: null, state: 'Disc' });
    const report = await logoff({ transport, servers: ['rds01'], all: true, plan, ...quiet });
    // Decided on the fresh listing, before any logoff: reported first, like the selection's own refusals.
    assert.deepEqual(view(report), ['rds01 logoff 5 skipped', 'rds01 logoff 4 done']);
    assert.match(report.actions[0]?.reason ?? '', /not in the plan you confirmed/);
    assert.deepEqual(transport.mutatingCalls().map((c) => c.detail), ['4']);
    assert.equal(exitCodeFor(report), 0);
  });

  it('an id now held by a different user is not logged off: the planned session is gone, the new one untouched', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob] } } });
    const plan = await logoff({ transport, servers: ['rds01'], all: true, dryRun: true, ...quiet });
    const host = transport.host('rds01');
    host.sessions = host.sessions.map((s) => (s.id === 4 ? { ...s, username: 'mallory' } : s));
    const events: AuditEvent[] = [];
    const report = await logoff({ transport, servers: ['rds01'], all: true, plan, onEvent: (e) => events.push(e), ...quiet });
    assert.deepEqual(view(report), ['rds01 logoff 4 skipped', 'rds01 logoff 4 already-gone', 'rds01 logoff 3 done']);
    assert.deepEqual(report.actions.slice(0, 2).map((a) => a.username), ['mallory', 'bob']);
    assert.match(report.actions[1]?.reason ?? '', /session 4 now belongs to mallory/);
    assert.deepEqual(transport.mutatingCalls().map((c) => c.detail), ['3']);
    assert.deepEqual(events.map((e) => `${e.action} ${e.sessionId} ${e.result}`), ['logoff 3 done'], 'nothing was attempted on 4: no audit event');
  });

  it('a user Disconnected when planned and Active now is refused without a warning (they would lose unsaved work)', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const plan = await logoff({ transport, servers: ['rds01'], all: true, dryRun: true, ...quiet });
    const host = transport.host('rds01');
    host.sessions = host.sessions.map((s) => (s.id === 4 ? { ...s, state: 'Active', sessionName: 'rdp-tcp#9' } : s));
    const report = await logoff({ transport, servers: ['rds01'], all: true, plan, ...quiet });
    assert.deepEqual(view(report), ['rds01 logoff 4 refused']);
    assert.match(report.actions[0]?.reason ?? '', /Disconnected when you confirmed, Active now/);
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.equal(exitCodeFor(report), 1);
  });

  it('with a warning first, a user who reconnected is warned and logged off as planned', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const plan = await logoff({ transport, servers: ['rds01'], all: true, message: 'bye', graceMs: 0, dryRun: true, ...quiet });
    const host = transport.host('rds01');
    host.sessions = host.sessions.map((s) => (s.id === 4 ? { ...s, state: 'Active', sessionName: 'rdp-tcp#9' } : s));
    const report = await logoff({ transport, servers: ['rds01'], all: true, message: 'bye', graceMs: 0, plan, ...quiet });
    assert.deepEqual(view(report), ['rds01 message 4 done', 'rds01 logoff 4 done']);
  });

  it('a planned session that ended meanwhile is already-gone; one that no longer matches the filters is skipped', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob, { id: 5, username: 'carol', sessionName: null, state: 'Disc' }] } } });
    const plan = await logoff({ transport, servers: ['rds01'], states: ['Disconnected'], dryRun: true, ...quiet });
    const host = transport.host('rds01');
    host.sessions = host.sessions.filter((s) => s.id !== 4).map((s) => (s.id === 5 ? { ...s, state: 'Active', sessionName: 'rdp-tcp#2' } : s));
    const report = await logoff({ transport, servers: ['rds01'], states: ['Disconnected'], plan, ...quiet });
    assert.deepEqual(view(report), ['rds01 logoff 4 already-gone', 'rds01 logoff 5 skipped']);
    assert.match(report.actions[1]?.reason ?? '', /no longer matches/);
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.equal(exitCodeFor(report), 0);
  });

  it('a host that could not be planned is not touched: its plan error is reported again', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] }, rds02: { fault: 'unreachable', sessions: [...systemSessions(), alice] } } });
    const plan = await logoff({ transport, servers: ['rds01', 'rds02'], all: true, dryRun: true, retries: 0, ...quiet });
    assert.deepEqual(plan.errors.map((e) => e.host), ['rds02']);
    transport.host('rds02').fault = undefined;
    const calls = transport.calls.length;
    const report = await logoff({ transport, servers: ['rds01', 'rds02'], all: true, plan, ...quiet });
    assert.deepEqual(view(report), ['rds01 logoff 4 done']);
    assert.deepEqual(report.errors.map((e) => `${e.host} ${e.code}`), ['rds02 ERR_HOST_UNREACHABLE']);
    assert.match(report.errors[0]?.message ?? '', /nothing was done there/);
    assert.ok(!transport.calls.slice(calls).some((c) => c.host === 'rds02'), 'rds02 was not even queried');
    assert.deepEqual(transport.host('rds02').sessions.filter((s) => s.username === 'alice').length, 1);
  });

  it('drain: a host that could not be planned is not drained; the others are', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] }, rds02: { fault: 'access-denied', sessions: [...systemSessions(), alice] } } });
    const plan = await drain({ transport, servers: ['rds01', 'rds02'], blockLogons: 'none', graceMs: 0, dryRun: true });
    transport.host('rds02').fault = undefined;
    const report = await drain({ transport, servers: ['rds01', 'rds02'], blockLogons: 'none', graceMs: 0, plan, verifyTimeoutMs: 0 });
    assert.deepEqual(report.hosts.map((h) => `${h.host} ${h.status}`), ['rds01 drained', 'rds02 failed']);
    assert.match(report.hosts[1]?.reason ?? '', /nothing was done there/);
    assert.ok(!transport.mutatingCalls().some((c) => c.host === 'rds02'));
  });

  it('logons: a host whose plan failed is not changed', async () => {
    const transport = createFakeTransport({ name: 'powershell', hosts: { rds01: {}, rds02: {} } });
    const dry = await logons({ transport, servers: ['rds01', 'rds02'], mode: 'drain', dryRun: true });
    // A plan is data: here rds02 could not be reached when it was made.
    const plan = { ...dry, errors: [{ host: 'rds02', code: 'ERR_HOST_UNREACHABLE' as const, message: 'rds02: host unreachable' }] };
    const report = await logons({ transport, servers: ['rds01', 'rds02'], mode: 'drain', plan });
    assert.deepEqual(transport.mutatingCalls().map((c) => c.host), ['rds01']);
    assert.deepEqual(report.errors.map((e) => `${e.host} ${e.code}`), ['rds02 ERR_HOST_UNREACHABLE']);
    assert.equal(exitCodeFor(report), 1);
  });
});
