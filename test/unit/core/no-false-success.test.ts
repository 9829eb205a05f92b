/*
 * No false success: an exit-1 text we do not know is an error of the host, never proof that it is empty
 * (drain `verified`) or that a session is gone (`already-gone`). Only a known "No User exists for" text,
 * or a table without the session, is.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { drain, exitCodeFor, logoff } from '../../../src/core/index.js';
import type { RunResult } from '../../../src/run/runner.js';
import { createFakeTransport, systemSessions, type FakeSession, type FakeTransport } from '../../helpers/fake-transport.js';
import { fakeClock } from './clock.js';

const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc' };
const UNKNOWN: RunResult = { command: 'quser', exitCode: 1, stdout: '', stderr: 'The terminal server is busy.\r\n', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };

/** From the `from`-th query of that kind (or of either kind) on, every one answers an exit-1 text: no table, no known "nobody" line. */
function unknownAnswersFrom(transport: FakeTransport, kind: 'quser' | 'query-session' | 'both', from: number): void {
  const query = transport.query.bind(transport);
  let n = 0;
  sinon.stub(transport, 'query').callsFake((host, k, opts) => ((kind === 'both' || k === kind) && ++n >= from ? Promise.resolve(UNKNOWN) : query(host, k, opts)));
}

describe('no false success', () => {
  it('drain: when quser and query session both answer an unknown exit-1 text, the host is not verified empty', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    unknownAnswersFrom(transport, 'both', 2);
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 4_000, pollIntervalMs: 1_000, sleep: clock.sleep, now: clock.now });
    assert.deepEqual(transport.host('rds01').sessions.map((s) => s.id), [0, 1, 65536], 'bob was logged off');
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.match(report.hosts[0]?.reason ?? '', /could not verify: .*The terminal server is busy/);
    assert.equal(exitCodeFor(report), 1);
  });

  it('drain: an unknown exit-1 text from quser is checked with query session, whose table is evidence either way', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob], logoffFault: 'access-denied' } } });
    unknownAnswersFrom(transport, 'quser', 1);
    const warnings: string[] = [];
    const stuck = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 4_000, pollIntervalMs: 1_000, sleep: clock.sleep, now: clock.now, onWarning: (w) => warnings.push(w) });
    assert.equal(stuck.hosts[0]?.status, 'failed');
    assert.match(stuck.hosts[0]?.reason ?? '', /1 user session\(s\) left: bob/);
    assert.equal(warnings.filter((w) => /quser answered a text we do not know.*The terminal server is busy.*query session/.test(w)).length, 1, 'said once per host and run');
    const gone = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    unknownAnswersFrom(gone, 'quser', 1);
    const report = await drain({ transport: gone, servers: ['rds01'], blockLogons: 'none', graceMs: 0, onWarning: () => undefined });
    assert.equal(report.hosts[0]?.status, 'drained', 'a query session table without user sessions is proof');
  });

  it('drain: both answering an unknown exit-1 text at the first listing fails the host; nobody is touched', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    unknownAnswersFrom(transport, 'both', 1);
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0 });
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.deepEqual(report.errors.map((e) => e.code), ['ERR_UNEXPECTED_OUTPUT']);
    assert.deepEqual(transport.mutatingCalls(), []);
  });

  it('logoff: a failed logoff re-checked by an unknown exit-1 text is failed, not already-gone', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob], logoffFault: 'access-denied' } } });
    unknownAnswersFrom(transport, 'query-session', 2);
    const report = await logoff({ transport, servers: ['rds01'], targets: ['4'] });
    assert.deepEqual(report.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`), ['logoff 4 failed']);
    assert.equal(exitCodeFor(report), 1);
  });

  it('the known texts still mean nobody: a drained host answering "No User exists for *" is verified', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0 });
    assert.equal(report.hosts[0]?.status, 'drained');
  });
});
