import assert from 'node:assert/strict';
import { toFileTime, wtsEnumerate, wtsLogoff, wtsMessage } from '../../../src/sim/engine-wts.js';
import { parseFarm } from '../../../src/sim/farm.js';
import { createFarmState, type FarmState } from '../../../src/sim/state.js';

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);

function state(): FarmState {
  return createFarmState(
    parseFarm({
      localHost: 'admin01',
      callerSessionId: 2,
      hosts: {
        admin01: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'operator', state: 'Active' }] },
        rds1: {
          sessions: [
            { id: 2, name: 'rdp-tcp#3', user: 'alice smith', state: 'Active', idleMinutes: 7, logon: '2026-03-02T08:12', clientName: 'WS-1', clientAddress: '10.1.2.3', domain: 'CORP' },
            { id: 3, name: null, user: 'bob', state: 'Disc', idleMinutes: 95, logsOffOnMessage: true },
            { id: 4, name: 'ICA-CGP#1', user: 'carol', state: 'Active', idleMinutes: null },
          ],
        },
        denied: { fault: 'access-denied', sessions: [] },
        stuck: { fault: 'hang', sessions: [] },
      },
    }),
    NOW,
  );
}

describe('sim: the farm as the WTS API sees it (engine-wts)', () => {
  it('enumerates every session with WTS states, FILETIMEs and client data; the caller\'s session only on the local handle', () => {
    const s = state();
    const out = wtsEnumerate(s, 'rds1', NOW);
    assert.equal(out.kind, 'ok');
    if (out.kind !== 'ok') return;
    assert.deepEqual(out.value.sessions.map((r) => [r.id, r.state, r.userName, r.sessionName, r.protocol]), [
      [0, 4, null, 'services', 0],
      [1, 1, null, 'console', 0],
      [2, 0, 'alice smith', 'rdp-tcp#3', 2],
      [3, 4, 'bob', null, 2],
      [4, 0, 'carol', 'ICA-CGP#1', 1],
      [65536, 6, null, 'rdp-tcp', 0],
    ]);
    const alice = out.value.sessions[2];
    assert.equal(alice?.logonTime, toFileTime(Date.UTC(2026, 2, 2, 8, 12)));
    assert.equal(alice?.currentTime, toFileTime(NOW));
    assert.equal(alice?.lastInputTime, toFileTime(NOW - 7 * 60_000));
    assert.deepEqual([alice?.domain, alice?.clientName, alice?.clientAddress], ['CORP', 'WS-1', { family: 2, text: '10.1.2.3' }]);
    assert.equal(out.value.sessions[3]?.domain, 'RDS1');
    assert.equal(out.value.sessions[3]?.disconnectTime, toFileTime(NOW - 95 * 60_000));
    assert.equal(out.value.sessions[4]?.lastInputTime, 0n);
    assert.equal(out.value.currentSessionId, null);
    const local = wtsEnumerate(s, null, NOW);
    assert.equal(local.kind === 'ok' ? local.value.currentSessionId : -1, 2);
    assert.deepEqual(s.calls.map((c) => c.args.join(' ')), ['WTSEnumerateSessionsExW rds1', 'WTSEnumerateSessionsExW ']);
  });

  it('faults become Win32 codes or a hang; an unknown host is 1722', () => {
    const s = state();
    assert.deepEqual(wtsEnumerate(s, 'denied', NOW), { kind: 'error', code: 5, delayMs: 0, mutated: false });
    assert.deepEqual(wtsEnumerate(s, 'nosuch', NOW), { kind: 'error', code: 1722, delayMs: 0, mutated: false });
    assert.deepEqual(wtsLogoff(s, 'stuck', 2, NOW), { kind: 'hang' });
  });

  it('logoff removes the session; 7022 for none, 5 for session 0, 50 for console and listener', () => {
    const s = state();
    assert.equal(wtsLogoff(s, 'rds1', 2, NOW).kind, 'ok');
    assert.deepEqual(s.hosts['rds1']?.sessions.map((x) => x.id), [0, 1, 3, 4, 65536]);
    const code = (id: number): number | string => {
      const r = wtsLogoff(s, 'rds1', id, NOW);
      return r.kind === 'error' ? r.code : r.kind;
    };
    assert.deepEqual([2, 0, 1, 65536].map(code), [7022, 5, 50, 50]);
  });

  it('message: recorded with title and timeout, IDASYNC without waiting; not Active is refused; logsOffOnMessage ends it', () => {
    const s = state();
    const sent = wtsMessage(s, 'rds1', 2, { title: 'IT', text: 'hi\nthere', seconds: 30, wait: false }, NOW);
    assert.deepEqual(sent.kind === 'ok' ? sent.value : null, { response: 32001 });
    assert.deepEqual(s.hosts['rds1']?.messages, [{ sessionId: 2, text: 'hi\nthere', time: NOW, seconds: 30, title: 'IT' }]);
    const refused = wtsMessage(s, 'rds1', 3, { title: 'IT', text: 'x', seconds: 0, wait: false }, NOW);
    assert.equal(refused.kind === 'error' ? refused.code : null, 50);
    s.hosts['rds1']!.sessions.find((x) => x.id === 4)!.logsOffOnMessage = true;
    assert.equal(wtsMessage(s, 'rds1', 4, { title: 'IT', text: 'x', seconds: 0, wait: true }, NOW).kind, 'ok');
    assert.ok(!s.hosts['rds1']?.sessions.some((x) => x.id === 4));
  });
});
