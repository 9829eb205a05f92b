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

/** From call `from` on, every query of that kind answers an exit-1 text no table and no known "nobody" line. */
function unknownAnswersFrom(transport: FakeTransport, kind: 'quser' | 'query-session', from: number): void {
  const query = transport.query.bind(transport);
  let n = 0;
  sinon.stub(transport, 'query').callsFake((host, k, opts) => (k === kind && ++n >= from ? Promise.resolve(UNKNOWN) : query(host, k, opts)));
}

describe('no false success', () => {
  it('drain: a host whose quser answers an unknown exit-1 text after the logoff is not verified empty', async () => {
    const clock = fakeClock();
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob], logoffFault: 'access-denied' } } });
    unknownAnswersFrom(transport, 'quser', 2);
    const report = await drain({ transport, servers: ['rds01'], blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 4_000, pollIntervalMs: 1_000, sleep: clock.sleep, now: clock.now });
    assert.equal(report.hosts[0]?.status, 'failed');
    assert.match(report.hosts[0]?.reason ?? '', /could not verify: .*The terminal server is busy/);
    assert.equal(exitCodeFor(report), 1);
  });

  it('drain: an unknown exit-1 text at the first listing fails the host; nobody is called drained', async () => {
    const transport = createFakeTransport({ hosts: { rds01: { sessions: [...systemSessions(), bob] } } });
    unknownAnswersFrom(transport, 'quser', 1);
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
