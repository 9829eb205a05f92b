import assert from 'node:assert/strict';
import { drain, exitCodeFor, listSessions, logoff } from '../../../src/core/index.js';
import { createExecTransport } from '../../../src/run/exec-transport.js';
import { parseFarm, type Farm } from '../../../src/sim/farm.js';
import { createSimulatedRunner } from '../../../src/sim/simulated-runner.js';

/* The core over the real exec transport (builders, runner seam) and the farm engine, in several languages. */
function setup(farm: Farm) {
  const runner = createSimulatedRunner(farm);
  const transport = createExecTransport({ runner, platform: 'linux', name: 'simulated', localNames: [farm.localHost], env: {} });
  return { runner, transport };
}

const farm = (): Farm =>
  parseFarm({
    localHost: 'admin01',
    callerSessionId: 2,
    hosts: {
      admin01: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'me', state: 'Active' }, { id: 3, name: null, user: 'old', state: 'Disc', idleMinutes: 300 }] },
      rdsde: {
        language: 'de',
        sessions: [
          { id: 2, name: 'rdp-tcp#1', user: 'm.mueller', state: 'Active', idleMinutes: 3 },
          { id: 5, name: null, user: 'j.schmidt', state: 'Disc', idleMinutes: 1500 },
        ],
      },
      rdszh: { language: 'zh', sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'wang.wei', state: 'Active', logsOffOnMessage: true }] },
      denied: { fault: 'access-denied', sessions: [] },
    },
  });

describe('core over the simulated farm (exec transport)', () => {
  it('lists localized hosts with the right states and host errors', async () => {
    const { transport } = setup(farm());
    const report = await listSessions({ transport, servers: ['rdsde', 'rdszh', 'denied'], retries: 0 });
    assert.deepEqual(report.sessions.map((s) => `${s.host} ${s.id} ${s.username} ${s.state}`), [
      'rdsde 2 m.mueller Active',
      'rdsde 5 j.schmidt Disconnected',
      'rdszh 2 wang.wei Active',
    ]);
    assert.deepEqual(report.errors.map((e) => `${e.host} ${e.code}`), ['denied ERR_ACCESS_DENIED']);
  });

  it('logs off disconnected sessions idle over a day on a German host; the Active one is untouched', async () => {
    const { transport, runner } = setup(farm());
    const report = await logoff({ transport, servers: ['rdsde'], states: ['Disconnected'], idleOverMinutes: 24 * 60 });
    assert.deepEqual(report.actions.map((a) => `${a.sessionId} ${a.action} ${a.status}`), ['5 logoff done']);
    assert.deepEqual(runner.state().hosts['rdsde']?.sessions.map((s) => s.id).filter((id) => id === 2 || id === 5), [2]);
  });

  it('locally --all spares the caller; a local drain blocks logons and refuses the caller', async () => {
    const { transport, runner } = setup(farm());
    const report = await logoff({ transport, all: true });
    assert.deepEqual(report.actions.map((a) => `${a.sessionId} ${a.status}`), ['3 done']);
    const drained = await drain({ transport, graceMs: 0, verifyTimeoutMs: 0 });
    assert.equal(runner.state().hosts['admin01']?.logons, 'drain');
    assert.deepEqual(drained.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`), ['block-logons null done', 'logoff 2 refused', 'verify null failed']);
    assert.equal(exitCodeFor(drained), 1);
  });

  it('drains a remote host with --block-logons none; the exec-style transport refuses to block it remotely', async () => {
    const { transport, runner } = setup(farm());
    const blocked = await drain({ transport, servers: ['rdszh'], graceMs: 0 });
    assert.equal(blocked.hosts[0]?.status, 'failed');
    assert.deepEqual(blocked.errors.map((e) => e.code), ['ERR_UNSUPPORTED_OPERATION']);
    const report = await drain({ transport, servers: ['rdszh', 'rdsde'], blockLogons: 'none', graceMs: 50, pollIntervalMs: 10, verifyTimeoutMs: 1000 });
    assert.deepEqual(report.hosts.map((h) => `${h.host} ${h.status}`), ['rdszh drained', 'rdsde drained']);
    assert.equal(runner.state().hosts['rdszh']?.messages?.length, 1);
    assert.deepEqual(report.actions.filter((a) => a.host === 'rdszh').map((a) => `${a.action} ${a.status}`), ['message done', 'logoff already-gone', 'verify done'], 'the user left on the message: in the report (issue 12)');
    assert.equal(exitCodeFor(report), 0);
  });
});
