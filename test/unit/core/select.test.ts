import assert from 'node:assert/strict';
import { selectTargets } from '../../../src/core/index.js';
import type { ValidationError } from '../../../src/errors.js';
import type { SessionRecord } from '../../../src/types.js';

function session(id: number, username: string | null, sessionName: string | null, state: SessionRecord['state'], extra: Partial<SessionRecord> = {}): SessionRecord {
  return { host: 'rds01', id, username, sessionName, state, stateText: state, idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null, ...extra };
}

const farm: SessionRecord[] = [
  session(0, null, 'services', 'Disconnected'),
  session(1, 'operator', 'console', 'Active'),
  session(2, 'alice', 'rdp-tcp#6', 'Active', { idleMinutes: 5 }),
  session(3, 'bob', null, 'Disconnected', { idleMinutes: 200 }),
  session(4, 'me', 'RDP-Tcp#9', 'Active', { isCurrent: true }),
  session(5, 'Bobby', 'rdp-tcp#10', 'Active', { idleMinutes: null }),
  session(6, null, 'rdp-tcp#11', 'Connected'),
  session(65536, null, 'rdp-tcp', 'Listen'),
  session(7, 'svc', 'ica-listener', 'Listen'),
];
const ids = (plan: ReturnType<typeof selectTargets>): number[] => plan.targets.map((s) => s.id);

describe('core/select', () => {
  it('--all never picks services, console, listeners, the own session or user-less sessions', () => {
    assert.deepEqual(ids(selectTargets(farm, { all: true })), [2, 3, 5]);
  });

  it('--self is an explicit target: with --all or a filter it is invalid input, never a mass logoff of the caller', () => {
    for (const mass of [{ all: true }, { user: 'me' }, { states: ['Active'] }, { idleOverMinutes: 0 }]) {
      assert.throws(() => selectTargets(farm, { ...mass, self: true }), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(mass));
    }
  });

  it('--self alone targets the caller session by its id', () => {
    const plan = selectTargets(farm, { self: true });
    assert.deepEqual(ids(plan), [4]);
    assert.deepEqual(plan.rejected, []);
  });

  it('--self on a host where the caller has no session is not-found', () => {
    const plan = selectTargets(farm.filter((s) => !s.isCurrent), { self: true });
    assert.deepEqual(ids(plan), []);
    assert.equal(plan.rejected[0]?.status, 'not-found');
  });

  it('no target at all is a usage error, never the caller', () => {
    assert.throws(() => selectTargets(farm, {}), (e: ValidationError) => e.code === 'ERR_INVALID_ARGUMENT' && e.argument === 'target');
    assert.throws(() => selectTargets(farm, { targets: [], states: [] }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('explicit protected ids or names are invalid input', () => {
    for (const t of ['0', '65536', '70000', 'console', 'CONSOLE', 'services', '-1', '0x3', '*', '$(x)', 'a;b', '/v']) {
      assert.throws(() => selectTargets(farm, { targets: [t] }), { code: 'ERR_INVALID_ARGUMENT' }, t);
    }
  });

  it('explicit targets found protected by querying are refused with a reason', () => {
    const plan = selectTargets(farm, { targets: ['4', 'rdp-tcp', 'ica-listener', '1'] });
    assert.deepEqual(ids(plan), []);
    assert.deepEqual(
      plan.rejected.map((r) => [r.sessionId, r.status]),
      [
        [4, 'refused'],
        [65536, 'refused'],
        [7, 'refused'],
        [1, 'refused'],
      ],
    );
    assert.match(plan.rejected[0]?.reason ?? '', /own session/);
  });

  it('the own session by explicit id is allowed with self', () => {
    assert.deepEqual(ids(selectTargets(farm, { targets: ['4'], self: true })), [4]);
  });

  it('explicit ids and names resolve, case-insensitively for names; missing ones are not-found', () => {
    const plan = selectTargets(farm, { targets: ['RDP-TCP#6', '3', '42', 'rdp-tcp#99', '2'] });
    assert.deepEqual(ids(plan), [2, 3]);
    assert.deepEqual(
      plan.rejected.map((r) => [r.sessionId, r.status]),
      [
        [42, 'not-found'],
        [null, 'not-found'],
      ],
    );
  });

  it('--user is a whole-name case-insensitive glob, never a substring', () => {
    assert.deepEqual(ids(selectTargets(farm, { user: 'bob' })), [3]);
    assert.deepEqual(ids(selectTargets(farm, { user: 'BOB*' })), [3, 5]);
    assert.deepEqual(ids(selectTargets(farm, { user: 'ob' })), []);
    assert.deepEqual(ids(selectTargets(farm, { user: '?lice' })), [2]);
    assert.deepEqual(ids(selectTargets(farm, { user: 'operator' })), [], 'console user never matched');
  });

  it('--user matches the user part of DOMAIN\\user unless the pattern has a domain', () => {
    const domain = [session(8, 'CORP\\jdoe', 'rdp-tcp#1', 'Active')];
    assert.deepEqual(ids(selectTargets(domain, { user: 'jdoe' })), [8]);
    assert.deepEqual(ids(selectTargets(domain, { user: 'corp\\j*' })), [8]);
    assert.deepEqual(ids(selectTargets(domain, { user: 'other\\jdoe' })), []);
  });

  it('a pattern with a domain matches a WTS record by its domain; a quser record (no domain) never by its name alone', () => {
    const wts = [session(8, 'jdoe', 'rdp-tcp#1', 'Active', { domain: 'CORP' }), session(9, 'jdoe', 'rdp-tcp#2', 'Active', { domain: 'ADMIN01' })];
    assert.deepEqual(ids(selectTargets(wts, { user: 'corp\\jdoe' })), [8]);
    assert.deepEqual(ids(selectTargets(wts, { user: 'jdoe' })), [8, 9]);
    // A local account jdoe is not CORP\jdoe: quser cannot tell them apart, so nothing matches (the CLI says why).
    assert.deepEqual(ids(selectTargets([session(8, 'jdoe', 'rdp-tcp#1', 'Active')], { user: 'CORP\\jdoe' })), []);
  });

  it('a session name that is a user name there: not-found, suggesting --user', () => {
    const plan = selectTargets(farm, { targets: ['bob'] });
    assert.deepEqual(plan.rejected.map((r) => [r.status, r.reason]), [['not-found', 'session bob does not exist; bob is a user here: did you mean --user bob?']]);
  });

  it('--state and --idle-over are AND-ed with --user; unknown idle never matches', () => {
    assert.deepEqual(ids(selectTargets(farm, { states: ['Disconnected'] })), [3]);
    assert.deepEqual(ids(selectTargets(farm, { states: ['Active'], user: 'b*' })), [5]);
    assert.deepEqual(ids(selectTargets(farm, { idleOverMinutes: 4 })), [2, 3]);
    assert.deepEqual(ids(selectTargets(farm, { idleOverMinutes: 5 })), [3]);
    assert.deepEqual(ids(selectTargets(farm, { idleOverMinutes: 0, user: 'bobby' })), [], 'idle unknown');
  });

  it('explicit targets and filters never mix (it was an OR that a prompt described as an AND)', () => {
    assert.throws(() => selectTargets(farm, { targets: ['3'], user: 'bob' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'user' });
    assert.throws(() => selectTargets(farm, { all: true, user: 'bob' }), { code: 'ERR_INVALID_ARGUMENT', argument: 'all' });
  });

  it('explicit targets are unique by id', () => {
    assert.deepEqual(ids(selectTargets(farm, { targets: ['3', 'rdp-tcp#6', '3'] })), [3, 2]);
  });
});
