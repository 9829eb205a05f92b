import assert from 'node:assert/strict';
import { exitCodeFor, logons } from '../../../src/core/index.js';
import type { AuditEvent } from '../../../src/core/index.js';
import { createFakeTransport } from '../../helpers/fake-transport.js';

describe('core/logons', () => {
  it('status reads each host state', async () => {
    const transport = createFakeTransport({ hosts: { a: { logons: 'drain' }, b: {} } });
    const report = await logons({ transport, servers: ['a', 'b', 'nosuch'], retries: 0 });
    assert.deepEqual(report.hosts, [
      { host: 'a', state: 'drain' },
      { host: 'b', state: 'enabled' },
      { host: 'nosuch', state: 'unknown' },
    ]);
    assert.deepEqual(report.actions, []);
    assert.deepEqual(report.errors.map((e) => [e.host, e.code]), [['nosuch', 'ERR_HOST_UNREACHABLE']]);
    assert.deepEqual(transport.mutatingCalls(), []);
  });

  it('drain blocks logons, enable allows them, and the state is read back', async () => {
    const transport = createFakeTransport({ hosts: { a: {} } });
    const events: AuditEvent[] = [];
    const blocked = await logons({ transport, servers: ['a'], mode: 'drain-until-restart', onEvent: (e) => events.push(e) });
    assert.deepEqual(blocked.actions.map((a) => `${a.action} ${a.status}`), ['block-logons done']);
    assert.deepEqual(blocked.hosts, [{ host: 'a', state: 'drain-until-restart' }]);
    const allowed = await logons({ transport, servers: ['a'], mode: 'enable', onEvent: (e) => events.push(e) });
    assert.deepEqual(allowed.actions.map((a) => `${a.action} ${a.status}`), ['allow-logons done']);
    assert.deepEqual(allowed.hosts, [{ host: 'a', state: 'enabled' }]);
    assert.deepEqual(events.map((e) => `${e.host} ${e.action} ${e.result}`), ['a block-logons done', 'a allow-logons done']);
    assert.equal(exitCodeFor(allowed), 0);
  });

  it('dry run plans and changes nothing', async () => {
    const transport = createFakeTransport({ hosts: { a: {} } });
    const report = await logons({ transport, servers: ['a'], mode: 'disable', dryRun: true });
    assert.deepEqual(report.actions.map((a) => a.status), ['planned']);
    assert.deepEqual(report.hosts, [{ host: 'a', state: 'enabled' }]);
    assert.deepEqual(transport.mutatingCalls(), []);
  });

  it('a transport that cannot change a remote host fails that host with the fix', async () => {
    const transport = createFakeTransport({ name: 'exec', hosts: { a: {} } });
    const report = await logons({ transport, servers: ['a'], mode: 'drain' });
    assert.equal(report.actions[0]?.status, 'failed');
    assert.match(report.actions[0]?.reason ?? '', /--transport powershell/);
    assert.deepEqual(report.errors.map((e) => e.code), ['ERR_UNSUPPORTED_OPERATION']);
    assert.equal(exitCodeFor(report), 1);
  });
});
