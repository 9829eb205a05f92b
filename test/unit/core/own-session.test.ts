/*
 * Issue 9, "your own session on a named host": quser/qwinsta /server:X print no `>` marker even when X is this
 * machine, so every name of this machine must protect the caller's session exactly as no --server does.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drain, listSessions, logoff, sendMessage } from '../../../src/core/index.js';
import type { ActionReport } from '../../../src/core/types.js';
import { createTransport } from '../../../src/run/create-transport.js';
import type { RunOptions } from '../../../src/run/runner.js';
import type { QueryKind, Transport } from '../../../src/run/transport.js';
import { createFakeTransport, systemSessions, type FakeSession, type FakeTransportOptions } from '../../helpers/fake-transport.js';
import { fakeClock } from './clock.js';

const view = (r: ActionReport): string[] => r.actions.map((a) => `${a.action} ${a.sessionId} ${a.status}`);
const quiet = { onWarning: () => undefined };

// The caller (session 2, marked `>` only in a local query) and two other users on this machine, rdsh01.
const users = (): FakeSession[] => [
  { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active', current: true },
  { id: 3, username: 'ann', sessionName: null, state: 'Disc' },
  { id: 4, username: 'bob', sessionName: 'rdp-tcp#2', state: 'Active' },
];
const OWN_IP = '10.0.0.5';
const here = (extra: Partial<FakeTransportOptions> = {}) =>
  createFakeTransport({
    local: { sessions: [...systemSessions(), ...users()] },
    localNames: ['rdsh01', OWN_IP, 'fd00::5'],
    dns: { 'rdsh01.corp.example': [OWN_IP], 'rds-alias': ['fd00::5'], 'RDSH01.CORP.EXAMPLE': [OWN_IP] },
    ...extra,
  });

// Every way of naming this machine: loopback names and addresses, its name in any case, FQDN, own addresses, an alias.
const THIS_MACHINE = ['localhost', 'LOCALHOST', '127.0.0.1', '127.0.0.2', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'rdsh01', 'RDSH01', 'rdsh01.corp.example', OWN_IP, 'fd00::5', 'rds-alias'];

describe('own session on a named host that is this machine (fake transport)', () => {
  for (const server of THIS_MACHINE) {
    it(`logoff --all -s ${server} spares the caller as without --server`, async () => {
      const local = here();
      const expected = view(await logoff({ transport: local, all: true, ...quiet }));
      const t = here();
      const report = await logoff({ transport: t, servers: [server], all: true, ...quiet });
      assert.deepEqual(view(report), expected);
      assert.deepEqual(view(report), ['logoff 3 done', 'logoff 4 done']);
      assert.deepEqual(t.host(null).sessions.filter((s) => s.username !== null).map((s) => s.id), [2]);
    });

    it(`filters, an explicit id and --self -s ${server} behave as without --server`, async () => {
      const t = here();
      assert.deepEqual(view(await logoff({ transport: t, servers: [server], states: ['Active'], ...quiet })), ['logoff 4 done']);
      assert.deepEqual(view(await logoff({ transport: t, servers: [server], user: 'me', ...quiet })), []);
      const explicit = await logoff({ transport: t, servers: [server], targets: ['2'], ...quiet });
      assert.deepEqual(view(explicit), ['logoff 2 refused']);
      assert.match(explicit.actions[0]?.reason ?? '', /your own session/);
      // bob (4) is gone; ann (3) is Disconnected; the caller gets no message either.
      assert.deepEqual(view(await sendMessage({ transport: t, servers: [server], all: true, text: 'hi' })), ['message 3 skipped']);
      assert.ok(t.host(null).sessions.some((s) => s.id === 2), 'the caller is still logged on');
      // --self finds the caller's session by the id learned locally, as it does without --server.
      assert.deepEqual(view(await logoff({ transport: t, servers: [server], self: true, dryRun: true, ...quiet })), ['logoff 2 planned']);
    });

    it(`drain -s ${server} refuses the caller and fails the host, as without --server`, async () => {
      const clock = fakeClock();
      const t = here();
      const report = await drain({ transport: t, servers: [server], blockLogons: 'none', graceMs: 0, verifyTimeoutMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
      assert.deepEqual(view(report), ['logoff 2 refused', 'logoff 3 done', 'logoff 4 done', 'verify null failed']);
      assert.equal(report.hosts[0]?.status, 'failed');
      assert.deepEqual(t.host(null).sessions.filter((s) => s.username !== null).map((s) => s.id), [2]);
    });
  }

  it('the caller id is learned once per run by a local query (no /server:)', async () => {
    const t = here();
    await logoff({ transport: t, servers: ['localhost', '127.0.0.1', 'rdsh01'], all: true, dryRun: true, ...quiet });
    assert.deepEqual(t.calls.filter((c) => c.host === null && c.method === 'query').map((c) => `${c.method} ${c.detail}`), ['query query-session']);
  });

  it('a remote host is not touched by the rule: session 2 there is not the caller, and no local query runs', async () => {
    const t = here({ hosts: { rds02: { sessions: [...systemSessions(), { id: 2, username: 'zoe', sessionName: null, state: 'Disc' }] } } });
    assert.deepEqual(view(await logoff({ transport: t, servers: ['rds02'], all: true, ...quiet })), ['logoff 2 done']);
    assert.deepEqual(t.calls.filter((c) => c.host === null && c.method === 'query'), []);
  });

  it('an FQDN that resolves to another machine is that machine, even if its first label is our name', async () => {
    const other: FakeSession = { id: 2, username: 'zoe', sessionName: null, state: 'Disc' };
    const t = here({ hosts: { 'rdsh01.other.example': { sessions: [...systemSessions(), other] } }, dns: { 'rdsh01.other.example': ['10.9.9.9'] } });
    assert.deepEqual(view(await logoff({ transport: t, servers: ['rdsh01.other.example'], all: true, ...quiet })), ['logoff 2 done']);
  });

  it('an unresolvable name whose first label is our name protects the caller id there, and blocks logons only remotely', async () => {
    // Our resolver cannot resolve it, but quser reaches some host by it (NetBIOS, a timeout on our side, ...).
    const there: FakeSession[] = [
      { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active' },
      { id: 5, username: 'eve', sessionName: null, state: 'Disc' },
    ];
    const t = here({ dns: {}, hosts: { 'rdsh01.corp.example': { sessions: [...systemSessions(), ...there] } } });
    assert.deepEqual(view(await logoff({ transport: t, servers: ['rdsh01.corp.example'], all: true, ...quiet })), ['logoff 5 done']);
    assert.deepEqual(view(await logoff({ transport: t, servers: ['rdsh01.corp.example'], targets: ['2'], ...quiet })), ['logoff 2 refused']);
    const clock = fakeClock();
    const drained = await drain({ transport: t, servers: ['rdsh01.corp.example'], graceMs: 0, verifyTimeoutMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.deepEqual(view(drained), ['block-logons null done', 'logoff 2 refused', 'verify null failed']);
    assert.equal(t.host(null).logons, 'enabled', 'change logon did not run on this machine');
    assert.equal(t.host('rdsh01.corp.example').logons, 'drain');
    // The exec transport cannot block a host it does not know to be this one: it fails before warning anyone.
    const exec = here({ name: 'exec', dns: {}, hosts: { 'rdsh01.corp.example': { sessions: [...systemSessions(), ...there] } } });
    const refused = await drain({ transport: exec, servers: ['rdsh01.corp.example'], graceMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.deepEqual(refused.errors.map((e) => e.code), ['ERR_UNSUPPORTED_OPERATION']);
    assert.deepEqual(exec.mutatingCalls(), []);
  });

  it('on a host that only may be this machine, the session with our id is never a target, not even with --self', async () => {
    // It may be someone else's session on another machine: --self must not log it off, nor may anything else.
    const there: FakeSession[] = [{ id: 2, username: 'zoe', sessionName: 'rdp-tcp#1', state: 'Active' }];
    const t = here({ dns: {}, hosts: { 'rdsh01.corp.example': { sessions: [...systemSessions(), ...there] } } });
    const self = await logoff({ transport: t, servers: ['rdsh01.corp.example'], self: true, ...quiet });
    assert.deepEqual(view(self), ['logoff 2 refused']);
    assert.match(self.actions[0]?.reason ?? '', /may be your own session/);
    const explicit = await logoff({ transport: t, servers: ['rdsh01.corp.example'], targets: ['2'], self: true, ...quiet });
    assert.deepEqual(view(explicit), ['logoff 2 refused', 'logoff 2 refused'], 'the id and --self are each refused');
    const listed = await listSessions({ transport: t, servers: ['rdsh01.corp.example'] });
    assert.deepEqual(listed.sessions.map((s) => [s.id, s.isCurrent, s.mayBeCurrent]), [[2, false, true]]);
    assert.deepEqual(t.mutatingCalls(), []);
    // On a host that certainly is this machine, --self still takes the caller's own session.
    assert.deepEqual(view(await logoff({ transport: t, servers: ['127.0.0.1'], self: true, ...quiet })), ['logoff 2 done']);
  });

  it('a name resolving to our address and another one (round-robin, VIP) protects the caller but is not run locally', async () => {
    const t = here({ name: 'exec', dns: { 'rds-vip': [OWN_IP, '10.0.0.6'] }, hosts: { 'rds-vip': { sessions: [...systemSessions(), ...users().map((u) => ({ ...u, current: false }))] } } });
    assert.deepEqual(view(await logoff({ transport: t, servers: ['rds-vip'], all: true, ...quiet })), ['logoff 3 done', 'logoff 4 done']);
    const clock = fakeClock();
    const drained = await drain({ transport: t, servers: ['rds-vip'], graceMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.deepEqual(drained.errors.map((e) => e.code), ['ERR_UNSUPPORTED_OPERATION']);
  });

  it('when the caller session cannot be learned locally, the host fails and nothing is logged off', async () => {
    const t = here();
    const query = t.query.bind(t);
    t.query = async (host: string | null, kind: QueryKind, options?: RunOptions) => {
      const real = await query(host, kind, options);
      return host === null ? { ...real, exitCode: 1, stdout: '', stderr: 'Error [5]:Access is denied.\r\n' } : real;
    };
    const report = await logoff({ transport: t, servers: ['localhost'], all: true, ...quiet });
    assert.deepEqual(view(report), []);
    assert.deepEqual(report.errors.map((e) => e.code), ['ERR_ACCESS_DENIED']);
    assert.match(report.errors[0]?.message ?? '', /own session/);
    assert.deepEqual(t.mutatingCalls(), []);
    const clock = fakeClock();
    const drained = await drain({ transport: t, servers: ['rdsh01'], blockLogons: 'none', graceMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
    assert.equal(drained.hosts[0]?.status, 'failed');
    assert.deepEqual(t.mutatingCalls(), []);
  });

  it('list -s localhost marks the caller as a local list does', async () => {
    const t = here();
    const report = await listSessions({ transport: t, servers: ['localhost'] });
    assert.deepEqual(report.sessions.filter((s) => s.isCurrent).map((s) => s.id), [2]);
  });

  it('a transport without locate gets the rule over this machine: loopback names still protect the caller', async () => {
    const t = here();
    const bare: Transport = { ...t };
    delete (bare as { locate?: unknown }).locate;
    assert.deepEqual(view(await logoff({ transport: bare, servers: ['127.0.0.1'], all: true, ...quiet })), ['logoff 3 done', 'logoff 4 done']);
  });
});

describe('own session on a named host that is this machine (simulated farm, createTransport)', () => {
  let dir = '';
  let farmFile = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'own-session-'));
    farmFile = join(dir, 'farm.json');
    await writeFile(
      farmFile,
      JSON.stringify({
        localHost: 'admin01',
        localNames: ['admin01.corp.example', '10.1.0.5'],
        callerSessionId: 2,
        hosts: {
          admin01: { sessions: [{ id: 2, name: 'rdp-tcp#0', user: 'me', state: 'Active' }, { id: 3, name: null, user: 'old', state: 'Disc' }, { id: 4, name: 'rdp-tcp#1', user: 'amy', state: 'Active' }] },
          'admin01.other.example': { sessions: [{ id: 2, name: null, user: 'zoe', state: 'Disc' }] },
        },
      }),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const users = async (transport: Transport): Promise<number[]> => (await listSessions({ transport })).sessions.map((s) => s.id);

  for (const server of ['localhost', '127.0.0.1', '127.10.0.1', '::1', 'admin01', 'ADMIN01', 'admin01.corp.example', '10.1.0.5']) {
    it(`logoff --all, filters and drain -s ${server} never log off the caller`, async () => {
      const transport = await createTransport('simulated', { farmFile });
      assert.deepEqual(view(await logoff({ transport, servers: [server], user: 'me', ...quiet })), []);
      assert.deepEqual(view(await logoff({ transport, servers: [server], targets: ['2'], ...quiet })), ['logoff 2 refused']);
      assert.deepEqual(view(await logoff({ transport, servers: [server], states: ['Disconnected'], ...quiet })), ['logoff 3 done']);
      assert.deepEqual(view(await logoff({ transport, servers: [server], all: true, ...quiet })), ['logoff 4 done']);
      assert.deepEqual(await users(transport), [2]);
      const clock = fakeClock();
      const drained = await drain({ transport, servers: [server], graceMs: 0, verifyTimeoutMs: 0, sleep: clock.sleep, now: clock.now, ...quiet });
      // change logon runs here: every one of these names really is this machine.
      assert.deepEqual(view(drained), ['block-logons null done', 'logoff 2 refused', 'verify null failed']);
      assert.deepEqual(await users(transport), [2]);
    });
  }

  it('a farm host whose first label is our name is another machine: its session 2 is not the caller', async () => {
    const transport = await createTransport('simulated', { farmFile });
    assert.deepEqual(view(await logoff({ transport, servers: ['admin01.other.example'], all: true, ...quiet })), ['logoff 2 done']);
  });
});
