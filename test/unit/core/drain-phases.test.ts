/*
 * What a drain says while it runs (issue 12): each host's step (blocking, listing, warning, waiting with
 * the time its last user is due, logging off, verifying, done) and how many user sessions are left, for a
 * terminal's progress line; and users who left by themselves are in the report, not silently gone.
 */
import assert from 'node:assert/strict';
import { drain, exitCodeFor } from '../../../src/core/index.js';
import type { AuditEvent, DrainHostPhase } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';
import { fakeClock } from './clock.js';

const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active', leavesAfterMessageMs: 0 };
const carol: FakeSession = { id: 5, username: 'carol', sessionName: 'rdp-tcp#8', state: 'Active' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };

/** Consecutive repeats folded: the steps as a progress line would show them change. */
const steps = (phases: DrainHostPhase[]): string[] =>
  phases.map((p) => `${p.step}${p.sessionsLeft === null ? '' : ` ${p.sessionsLeft}`}${p.status ? ` ${p.status}` : ''}`).filter((s, i, all) => s !== all[i - 1]);

describe('core/drain: host phases and users who left by themselves', () => {
  it('reports each step with the sessions left, and when the last one is due while waiting', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, bob, carol] } } });
    const phases: DrainHostPhase[] = [];
    const events: AuditEvent[] = [];
    const report = await drain({
      transport,
      servers: ['rds01'],
      graceMs: 600_000,
      pollIntervalMs: 60_000,
      sleep: clock.sleep,
      now: clock.now,
      onHostPhase: (p) => phases.push(p),
      onEvent: (e) => events.push(e),
    });
    assert.equal(report.hosts[0]?.status, 'drained');
    assert.deepEqual(steps(phases), ['blocking', 'listing', 'warning 3', 'waiting 3', 'waiting 2', 'logging-off 2', 'verifying', 'done drained']);
    assert.ok(phases.every((p) => p.host === 'rds01'));
    const waiting = phases.find((p) => p.step === 'waiting');
    assert.equal(waiting?.until, new Date(Date.parse('2026-11-25T14:10:00')).toISOString(), 'the grace ends at 14:10');
    assert.equal(phases.filter((p) => p.step !== 'waiting').every((p) => p.until === null), true);
    // alice logged off by herself right after her warning: in the report, with no audit event (we did nothing).
    const left = report.actions.find((a) => a.action === 'logoff' && a.sessionId === 3);
    assert.equal(left?.status, 'already-gone');
    assert.match(left?.reason ?? '', /left by themselves/);
    assert.deepEqual(events.filter((e) => e.action === 'logoff').map((e) => e.sessionId), [4, 5]);
    assert.equal(exitCodeFor(report), 0);
  });

  it('a drain whose users all leave early ends the wait and names them', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), alice, { ...carol, leavesAfterMessageMs: 0 }] } } });
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 600_000, pollIntervalMs: 60_000, sleep: clock.sleep, now: clock.now });
    assert.equal(report.hosts[0]?.status, 'drained');
    assert.deepEqual(report.actions.filter((a) => a.action === 'logoff').map((a) => `${a.username} ${a.status}`), ['alice already-gone', 'carol already-gone']);
    assert.ok(clock.elapsed() < 600_000, 'nobody left to wait for');
  });

  it('without a grace nobody is waited for: what is there is logged off at once', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0, sleep: clock.sleep, now: clock.now });
    assert.deepEqual(report.actions.filter((a) => a.action === 'logoff').map((a) => `${a.username} ${a.status}`), ['bob done']);
  });
});
