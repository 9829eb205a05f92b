import assert from 'node:assert/strict';
import { drain, logoff, selectTargets } from '../../../src/core/index.js';
import type { RunOptions } from '../../../src/run/runner.js';
import type { QueryKind } from '../../../src/run/transport.js';
import type { SessionRecord } from '../../../src/types.js';
import { createFakeTransport, systemSessions } from '../../helpers/fake-transport.js';

// Issue 9: a session read from an ambiguous row (parser flag `ambiguous`) is never acted on; it is
// reported `refused` with the reason, whichever way it was selected.
function session(id: number, username: string | null, sessionName: string | null, state: SessionRecord['state'], extra: Partial<SessionRecord> = {}): SessionRecord {
  return { host: 'rds01', id, username, sessionName, state, stateText: state, idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null, ...extra };
}
const UNSURE = 'row can be read with session ID 2 or 5';
const sessions = [
  session(0, null, 'services', 'Disconnected'),
  session(2, 'ops', 'rdp-tcp#5', 'Disconnected', { ambiguous: UNSURE }),
  session(3, 'bob', null, 'Disconnected'),
  session(65536, null, 'rdp-tcp', 'Listen'),
];
const rejected = (plan: ReturnType<typeof selectTargets>): [number | null, string][] => plan.rejected.map((r) => [r.sessionId, r.status]);
const quiet = { onWarning: () => undefined };

describe('ambiguous rows are never acted on', () => {
  it('an explicit id that names an ambiguous row is refused with the reason', () => {
    const plan = selectTargets(sessions, { targets: ['2'] });
    assert.deepEqual(plan.targets, []);
    assert.deepEqual(rejected(plan), [[2, 'refused']]);
    assert.match(plan.rejected[0]?.reason ?? '', /could not be read unambiguously.*session ID 2 or 5/);
  });

  it('filters and --all report ambiguous rows refused, matching or not (their fields cannot be trusted)', () => {
    for (const selection of [{ states: ['Disconnected' as const] }, { all: true }, { user: 'bob' }]) {
      const plan = selectTargets(sessions, selection);
      assert.deepEqual(plan.targets.map((s) => s.id), [3], JSON.stringify(selection));
      assert.deepEqual(rejected(plan), [[2, 'refused']], JSON.stringify(selection));
    }
  });

  it('an id not found while some row is ambiguous is refused, not not-found: that row may be it', () => {
    const plan = selectTargets(sessions, { targets: ['5'] });
    assert.deepEqual(rejected(plan), [[5, 'refused']]);
    assert.match(plan.rejected[0]?.reason ?? '', /may be/);
    assert.deepEqual(rejected(selectTargets(sessions.filter((s) => s.ambiguous === undefined), { targets: ['5'] })), [[5, 'not-found']]);
  });

  it('logoff --state disconnected with user "ops 2 disc" in session 5 logs off nobody (it logged off session 2)', async () => {
    const header = ' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE';
    const rows = [' services                                    0  Disc', ' rdp-tcp#5         ops 2 disc                5  Active', ' rdp-tcp#6         eve                       2  Active', ' rdp-tcp                                 65536  Listen', ''];
    // The header's columns settle the row; a damaged header (columns squeezed) cannot: then it is refused.
    for (const [top, expected] of [[header, []], [' SESSIONNAME USERNAME ID STATE', [[5, 'refused']]]] as const) {
      const transport = createFakeTransport({ local: { sessions: systemSessions() } });
      const query = transport.query.bind(transport);
      transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => ({ ...(await query(host, kind, options)), exitCode: 0, stdout: [top, ...rows].join('\r\n'), stderr: '' });
      const report = await logoff({ transport, states: ['Disconnected'], ...quiet });
      assert.deepEqual(transport.mutatingCalls(), [], top);
      assert.deepEqual(report.actions.map((a) => [a.sessionId, a.status]), expected, top);
    }
  });

  it('drain leaves an ambiguous row alone and reports it refused', async () => {
    const table = [' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME', ' ann                   rdp-tcp#1           2  Active          .  4/1/2022 4:09 AM', ' bob                   rdp-tcp#2           2  Disc            .  4/1/2022 4:09 AM', ''].join('\r\n');
    const transport = createFakeTransport({ local: { sessions: systemSessions() } });
    const query = transport.query.bind(transport);
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => ({ ...(await query(host, kind, options)), exitCode: 0, stdout: table, stderr: '' });
    const report = await drain({ transport, blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 0, ...quiet });
    assert.deepEqual(transport.mutatingCalls().filter((c) => c.method === 'logoff'), []);
    assert.deepEqual(report.actions.filter((a) => a.status === 'refused').map((a) => a.sessionId), [2, 2]);
  });

  it('a failed logoff is not "already-gone" when the re-query holds an ambiguous row: that row may be the session', async () => {
    const header = ' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE';
    const before = [header, ' rdp-tcp#5         bob                       5  Active', ''].join('\r\n');
    // After the failed logoff, 5 is printed nowhere and 2 twice: one of those rows may be session 5 misread.
    const after = [header, ' rdp-tcp#1         ann                       2  Active', ' rdp-tcp#5         bob                       2  Active', ''].join('\r\n');
    const transport = createFakeTransport({ local: { sessions: systemSessions(), logoffFault: 'access-denied' } });
    const query = transport.query.bind(transport);
    let calls = 0;
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => ({ ...(await query(host, kind, options)), exitCode: 0, stdout: calls++ === 0 ? before : after, stderr: '' });
    const report = await logoff({ transport, targets: ['5'], ...quiet });
    assert.deepEqual(report.actions.map((a) => [a.sessionId, a.status]), [[5, 'failed']]);
  });

  it('--idle-over never takes the idle time from an ambiguous quser row: the session is refused', async () => {
    const qwinsta = [' SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE', '                   bob                       5  Disc', ''].join('\r\n');
    // quser prints id 5 twice: either row may be misread, so neither idle time can be trusted.
    const quser = [' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME', ' eve                                       5  Disc            .  4/1/2022 4:09 AM', ' bob                                       5  Disc      3+04:05  4/1/2022 4:09 AM', ''].join('\r\n');
    const transport = createFakeTransport({ local: { sessions: systemSessions() } });
    const query = transport.query.bind(transport);
    transport.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => ({ ...(await query(host, kind, options)), exitCode: 0, stdout: kind === 'quser' ? quser : qwinsta, stderr: '' });
    const report = await logoff({ transport, idleOverMinutes: 60, ...quiet });
    assert.deepEqual(transport.mutatingCalls(), []);
    assert.deepEqual(report.actions.map((a) => [a.sessionId, a.status]), [[5, 'refused']]);
  });
});
