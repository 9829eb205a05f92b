import assert from 'node:assert/strict';
import { listSessions, logoff, sendMessage } from '../../../src/core/index.js';
import type { TargetSelection } from '../../../src/core/index.js';
import { createFakeTransport, systemSessions, type FakeSession } from '../../helpers/fake-transport.js';

// Issue 9: explicit targets and filters in one call, a warning with no time to react, and list filters.

const me: FakeSession = { id: 2, username: 'me', sessionName: 'rdp-tcp#1', state: 'Active', current: true };
const alice: FakeSession = { id: 3, username: 'alice', sessionName: 'rdp-tcp#6', state: 'Active', idle: '5' };
const bob: FakeSession = { id: 4, username: 'bob', sessionName: null, state: 'Disc', idle: '3+04:05' };
const bobby: FakeSession = { id: 5, username: 'Bobby', sessionName: 'rdp-tcp#7', state: 'Active', idle: '.' };
const farm = (): FakeSession[] => [...systemSessions(), me, alice, bob, bobby];

// Every explicit target (ids, names, self) against every mass selector (user, states, idleOverMinutes, all).
const EXPLICIT: [string, TargetSelection][] = [['an id', { targets: ['4'] }], ['a name', { targets: ['rdp-tcp#6'] }], ['self', { self: true }]];
const MASS: [string, TargetSelection][] = [['user', { user: 'bob' }], ['states', { states: ['Disconnected'] }], ['idleOverMinutes', { idleOverMinutes: 60 }], ['all', { all: true }]];

describe('core: explicit targets and filters never mix', () => {
  for (const [what, explicit] of EXPLICIT) {
    for (const [filter, mass] of MASS) {
      it(`${what} with ${filter}: ValidationError naming ${filter}, before any host is touched (logoff and sendMessage)`, async () => {
        const transport = createFakeTransport({ local: { sessions: farm() } });
        const expected = { code: 'ERR_INVALID_ARGUMENT', argument: filter };
        await assert.rejects(logoff({ transport, ...explicit, ...mass }), expected);
        await assert.rejects(logoff({ transport, ...explicit, ...mass, dryRun: true }), expected);
        await assert.rejects(sendMessage({ transport, ...explicit, ...mass, text: 'hi' }), expected);
        assert.deepEqual(transport.calls, []);
      });
    }
  }

  it('explicit targets together (ids, names, self) and filters together stay allowed', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const explicit = await logoff({ transport, targets: ['4', 'rdp-tcp#6'], self: true, dryRun: true });
    assert.deepEqual(explicit.actions.map((a) => a.sessionId), [4, 3, 2]);
    const filtered = await logoff({ transport, user: 'b*', states: ['Disconnected'], idleOverMinutes: 60, dryRun: true });
    assert.deepEqual(filtered.actions.map((a) => a.sessionId), [4], 'filters are AND-ed');
  });
});

describe('core: a warning always comes with its wait', () => {
  it('logoff with message and no graceMs is a ValidationError naming graceMs; nothing runs', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await assert.rejects(logoff({ transport, targets: ['3'], message: 'bye' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    await assert.rejects(logoff({ transport, targets: ['3'], message: 'bye', dryRun: true }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    assert.deepEqual(transport.calls, []);
  });

  it('graceMs without message is a ValidationError too (there is nobody warned to wait for)', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await assert.rejects(logoff({ transport, targets: ['3'], graceMs: 60_000 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'graceMs' });
    assert.deepEqual(transport.calls, []);
  });

  it('graceMs: 0 given explicitly allows a warning with no wait', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await logoff({ transport, targets: ['3'], message: 'bye', graceMs: 0, dryRun: true });
    assert.deepEqual(report.actions.map((a) => `${a.action} ${a.status}`), ['message planned', 'logoff planned']);
  });
});

describe('core: listSessions takes the filters of logoff', () => {
  const hostsOf = (sessions: { id: number }[]): number[] => sessions.map((s) => s.id);

  it('lists exactly what logoff with the same filters would act on', async () => {
    const cases: TargetSelection[] = [{ user: 'b*' }, { states: ['Disconnected'] }, { states: ['Active'] }, { idleOverMinutes: 4 }, { user: 'bob*', states: ['Active'] }, { user: 'me' }];
    for (const filters of cases) {
      const transport = createFakeTransport({ hosts: { rds01: { sessions: farm() } } });
      const listed = await listSessions({ transport, servers: ['rds01'], ...filters });
      const planned = await logoff({ transport, servers: ['rds01'], ...filters, dryRun: true });
      assert.deepEqual(hostsOf(listed.sessions), planned.actions.map((a) => a.sessionId), JSON.stringify(filters));
    }
  });

  it('filtered records keep idle and logon columns; the own session, console and services never show', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await listSessions({ transport, states: ['Active'] });
    assert.deepEqual(report.sessions.map((s) => [s.id, s.username, s.idleMinutes]), [[3, 'alice', 5], [5, 'Bobby', 0]]);
  });

  it('without filters nothing changes: one quser call', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    const report = await listSessions({ transport });
    assert.deepEqual(hostsOf(report.sessions), [2, 3, 4, 5]);
    assert.deepEqual(transport.calls.filter((c) => c.method === 'query').map((c) => c.detail), ['quser']);
  });

  it('bad filters, and filters with allSessions, are ValidationErrors before any host is touched', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    await assert.rejects(listSessions({ transport, user: '-x' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'user' });
    await assert.rejects(listSessions({ transport, states: ['Sleeping' as never] }), { code: 'ERR_INVALID_ARGUMENT', argument: 'states' });
    await assert.rejects(listSessions({ transport, idleOverMinutes: -1 }), { code: 'ERR_INVALID_ARGUMENT', argument: 'idleOverMinutes' });
    await assert.rejects(listSessions({ transport, allSessions: true, user: 'bob' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'allSessions' });
    assert.deepEqual(transport.calls, []);
  });
});

describe('core: states are read through the parser vocabulary', () => {
  it('printed words (Disc, conn, any case) select like canonical names; an unknown word is a ValidationError', async () => {
    const transport = createFakeTransport({ local: { sessions: farm() } });
    for (const word of ['Disc', 'disc', 'DISCONNECTED', 'disconnected']) {
      const report = await logoff({ transport, states: [word as never], dryRun: true });
      assert.deepEqual(report.actions.map((a) => a.sessionId), [4], word);
    }
    await assert.rejects(logoff({ transport, states: ['gone' as never] }), { code: 'ERR_INVALID_ARGUMENT', argument: 'states' });
    await assert.rejects(logoff({ transport, states: ['Unknown'] }), { code: 'ERR_INVALID_ARGUMENT', argument: 'states' });
  });
});
