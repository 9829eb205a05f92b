import assert from 'node:assert/strict';
import sinon from 'sinon';
import { exitCodeFor, sendMessage } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';

const farm = (): FakeSession[] => [
  ...systemSessions().map((s) => (s.id === 1 ? { ...s, username: 'operator', state: 'Active' as const } : s)),
  { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active', current: true },
  { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active' },
  { id: 4, username: 'bob', sessionName: null, state: 'Disc' },
];

describe('core/sendMessage', () => {
  it('messages Active selected sessions, skips the rest, never services/console/listeners', async () => {
    // rds01 is this machine: /server:rds01 prints no `>`, and the caller (me, 2) is protected by the local-host rule.
    const transport = createFakeTransport({ localNames: ['rds01'], local: { sessions: farm() } });
    const report = await sendMessage({ transport, servers: ['rds01'], all: true, text: 'Restart at 18:00' });
    assert.deepEqual(report.actions.map((a) => `${a.sessionId} ${a.status}`), ['3 done', '4 skipped']);
    assert.deepEqual(transport.host('rds01').messages, [{ id: 3, text: 'Restart at 18:00' }]);
    assert.equal(exitCodeFor(report), 0);
  });

  it('passes seconds (msg /time) to the transport, and only when given', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const spy = sinon.spy(transport, 'message');
    await sendMessage({ transport, targets: ['3'], text: 'hi', seconds: 60 });
    await sendMessage({ transport, targets: ['3'], text: 'hi' });
    assert.equal(spy.firstCall.args[3]?.seconds, 60);
    assert.equal(spy.secondCall.args[3]?.seconds, undefined);
  });

  it('dry run sends nothing', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await sendMessage({ transport, all: true, text: 'hi', dryRun: true });
    assert.deepEqual(report.actions.map((a) => `${a.sessionId} ${a.status}`), ['3 planned', '4 skipped']);
    assert.deepEqual(transport.mutatingCalls(), []);
  });

  it('rejects bad text before anything runs (value redacted)', async () => {
    const transport = createFakeTransport();
    await assert.rejects(sendMessage({ transport, all: true, text: 'a\u0007b' }), { code: 'ERR_INVALID_ARGUMENT', value: '<redacted>' });
    await assert.rejects(sendMessage({ transport, text: 'hello' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'target' });
    assert.deepEqual(transport.calls, []);
  });

  it('hostile text travels as data to the transport, unchanged', async () => {
    const text = "$(Remove-Item C:\\) `whoami` ' ’ ; | & -x /y";
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await sendMessage({ transport, targets: ['3'], text });
    assert.deepEqual(transport.host(null).messages, [{ id: 3, text }]);
  });

  it('refused and not-found explicit targets make the exit 1', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await sendMessage({ transport, targets: ['2', '9'], text: 'hi' });
    assert.deepEqual(report.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`), ['message 2 refused', 'message 9 not-found']);
    assert.equal(exitCodeFor(report), 1);
  });
});
