/*
 * Show, then ask (issue 12): on a terminal, a command that confirms first runs its dry run, prints what will
 * happen per host (users, session ids, states, who loses unsaved work), and only then asks. Yes runs the real
 * operation restricted to that plan (`plan`); no is "nothing done", exit 1.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PromptInterruptedError } from '../../src/cli/confirm.js';
import { main } from '../../src/cli/main.js';
import type { ActionRecord, ActionReport, DrainReport, HostErrorRecord, LogonsReport } from '../../src/core/types.js';
import { fakeDeps } from './fake-deps.js';

type Act = Omit<ActionRecord, 'host'> & { host?: string };
const act = (a: Act): ActionRecord => ({ host: 'rds01', ...a });
const planned = (sessionId: number, username: string, state: NonNullable<ActionRecord['state']>, action: 'logoff' | 'message' = 'logoff'): ActionRecord =>
  act({ sessionId, username, action, status: 'planned', reason: null, state });

const LOGOFF_PLAN: ActionReport = {
  actions: [
    act({ sessionId: 1, username: 'admin', action: 'logoff', status: 'refused', reason: 'the console session is never a target' }),
    planned(3, 'alice', 'Active'),
    planned(4, 'bob', 'Disconnected'),
  ],
  errors: [],
  interrupted: false,
};
const LOGOFF_DONE: ActionReport = {
  actions: [act({ sessionId: 3, username: 'alice', action: 'logoff', status: 'done', reason: null }), act({ sessionId: 4, username: 'bob', action: 'logoff', status: 'done', reason: null })],
  errors: [],
  interrupted: false,
};

/** The logoff stub: its dry run answers the plan, the real run what was done. */
function logoffFake(plan: ActionReport, done: ActionReport = LOGOFF_DONE) {
  return async (options: { dryRun?: boolean; onWarning?: (m: string) => void; plan?: unknown }): Promise<ActionReport> => {
    if (options.dryRun) {
      options.onWarning?.('rds01: 1 Active session(s) (alice) will be logged off without warning and will lose unsaved work; use --message and --grace to warn them first');
      return plan;
    }
    return done;
  };
}

/** Records what stderr held when the question was asked. */
function answer(f: ReturnType<typeof fakeDeps>, yes: boolean): () => string {
  let before = '';
  f.confirm.callsFake(async () => {
    before = f.stderr();
    return yes;
  });
  return () => before;
}

describe('CLI: show, then ask', () => {
  it('logoff --all: the plan names every user, id and state, and who loses unsaved work, before the question', async () => {
    const f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake(LOGOFF_PLAN));
    const shown = answer(f, false);
    assert.equal(await main(['logoff', '--all', '-s', 'rds01'], f.deps), 1);
    const plan = shown();
    assert.match(plan, /log off EVERY user session on rds01/i);
    assert.match(plan, /rds01 +3 +alice +Active +log off: loses unsaved work/);
    assert.match(plan, /rds01 +4 +bob +Disconnected +log off\n/);
    assert.match(plan, /rds01 +1 +admin +refused: the console session is never a target/);
    assert.match(plan, /warning: rds01: 1 Active session\(s\) \(alice\) will be logged off without warning/, 'the warning comes before the answer');
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off these 2 sessions on rds01? [y/N] ');
    assert.equal(f.stderr().slice(plan.length), 'session-logoff: nothing done.\n');
    sinon.assert.calledOnce(f.api.logoff);
    assert.equal(f.api.logoff.firstCall.args[0].dryRun, true);
    assert.equal(f.stdout(), '');
    sinon.assert.calledOnce(f.transport.dispose);
  });

  it('yes: the real run gets the plan it showed (and no dryRun), and prints what was done', async () => {
    const f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake(LOGOFF_PLAN));
    answer(f, true);
    assert.equal(await main(['logoff', '--all', '-s', 'rds01'], f.deps), 0, f.stderr());
    sinon.assert.calledTwice(f.api.logoff);
    const real = f.api.logoff.secondCall.args[0];
    assert.equal(real.dryRun, undefined);
    assert.equal(real.plan, LOGOFF_PLAN);
    assert.equal(real.all, true);
    assert.match(f.stdout().replace(/\u001b\[\d+m/g, ''), /alice +logoff +done/);
    sinon.assert.calledOnce(f.createTransport);
  });

  it('with --message the plan says who is warned first and who cannot see it', async () => {
    const f = fakeDeps({ tty: true });
    const plan: ActionReport = {
      actions: [planned(3, 'alice', 'Active', 'message'), planned(3, 'alice', 'Active'), act({ sessionId: 4, username: 'bob', action: 'message', status: 'skipped', reason: 'session is Disconnected: a message cannot reach it' }), planned(4, 'bob', 'Disconnected')],
      errors: [],
      interrupted: false,
    };
    f.api.logoff.callsFake(logoffFake(plan));
    const shown = answer(f, false);
    await main(['logoff', '--user', '*', '-s', 'rds01', '--message', 'bye', '--grace', '5m'], f.deps);
    assert.match(shown(), /rds01 +3 +alice +Active +warn, then log off 5m later/);
    assert.match(shown(), /rds01 +4 +bob +Disconnected +log off \(cannot see a warning\)/);
  });

  it('one id on several hosts is planned first too: the plan says which user holds it on each', async () => {
    const f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake({ actions: [planned(2, 'alice', 'Active'), { ...planned(2, 'carol', 'Disconnected'), host: 'rds02' }], errors: [], interrupted: false }));
    const shown = answer(f, false);
    assert.equal(await main(['logoff', '2', '-s', 'rds01', '-s', 'rds02'], f.deps), 1);
    assert.match(shown(), /rds02 +2 +carol +Disconnected/);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off these 2 sessions on 2 hosts? [y/N] ');
  });

  it('nothing matched: no question, the note says so, exit 0', async () => {
    const f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake({ actions: [], errors: [], interrupted: false }));
    assert.equal(await main(['logoff', '--user', 'nobody', '-s', 'rds01'], f.deps), 0);
    sinon.assert.notCalled(f.confirm);
    sinon.assert.calledOnce(f.api.logoff);
    assert.match(f.stderr(), /no session matched on rds01: nothing to log off/);
  });

  it('a host that could not be planned is shown as such; every host failing asks nothing (exit 1)', async () => {
    const error: HostErrorRecord = { host: 'rds02', code: 'ERR_HOST_UNREACHABLE', message: 'rds02: the RPC server is unavailable' };
    let f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake({ actions: [planned(4, 'bob', 'Disconnected')], errors: [error], interrupted: false }));
    const shown = answer(f, false);
    await main(['logoff', '--all', '-s', 'rds01', '-s', 'rds02'], f.deps);
    assert.match(shown(), /rds02: cannot be planned: rds02: the RPC server is unavailable \(ERR_HOST_UNREACHABLE\); nothing will be done there/);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off this session on rds01? [y/N] ');
    f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake({ actions: [], errors: [error], interrupted: false }));
    assert.equal(await main(['logoff', '--all', '-s', 'rds02'], f.deps), 1);
    sinon.assert.notCalled(f.confirm);
    assert.match(f.stderr(), /rds02: the RPC server is unavailable \(ERR_HOST_UNREACHABLE\)/);
  });

  it('Ctrl-C at the question after the plan: exit 130, nothing done, nothing run', async () => {
    const f = fakeDeps({ tty: true });
    f.api.logoff.callsFake(logoffFake(LOGOFF_PLAN));
    f.confirm.rejects(new PromptInterruptedError('interrupted at the confirmation prompt'));
    assert.equal(await main(['logoff', '--all', '-s', 'rds01'], f.deps), 130);
    assert.match(f.stderr(), /interrupted: nothing done\.\n$/);
    sinon.assert.calledOnce(f.api.logoff);
    sinon.assert.calledOnce(f.transport.dispose);
  });

  it('--yes and --dry-run run once and ask nothing; off a terminal without --yes nothing runs (exit 2)', async () => {
    let f = fakeDeps({ tty: true });
    assert.equal(await main(['logoff', '--all', '-s', 'rds01', '--yes'], f.deps), 0);
    sinon.assert.calledOnce(f.api.logoff);
    assert.equal(f.api.logoff.firstCall.args[0].plan, undefined);
    f = fakeDeps({ tty: true });
    assert.equal(await main(['logoff', '--all', '-s', 'rds01', '--dry-run'], f.deps), 0);
    sinon.assert.calledOnce(f.api.logoff);
    sinon.assert.notCalled(f.confirm);
    f = fakeDeps();
    assert.equal(await main(['logoff', '--all', '-s', 'rds01'], f.deps), 2);
    sinon.assert.notCalled(f.createTransport);
  });

  it('drain: per host the logon block, each user and what happens to them, then the question', async () => {
    const f = fakeDeps({ tty: true });
    const plan: DrainReport = {
      hosts: [{ host: 'rds01', status: 'planned', reason: null, sessionsLeft: [] }, { host: 'rds02', status: 'planned', reason: null, sessionsLeft: [] }],
      actions: [
        act({ sessionId: null, username: null, action: 'block-logons', status: 'planned', reason: 'mode drain' }),
        planned(3, 'alice', 'Active', 'message'),
        planned(3, 'alice', 'Active'),
        planned(4, 'bob', 'Disconnected'),
        act({ sessionId: null, username: null, action: 'verify', status: 'planned', reason: null }),
        act({ host: 'rds02', sessionId: null, username: null, action: 'block-logons', status: 'planned', reason: 'mode drain' }),
        act({ host: 'rds02', sessionId: null, username: null, action: 'verify', status: 'planned', reason: null }),
      ],
      errors: [],
      interrupted: false,
    };
    f.api.drain.callsFake(async (o: { dryRun?: boolean }) => (o.dryRun ? plan : { ...plan, hosts: plan.hosts.map((h) => ({ ...h, status: 'drained' })), actions: [] }));
    const shown = answer(f, true);
    assert.equal(await main(['drain', '-s', 'rds01', '-s', 'rds02', '--grace', '5m'], f.deps), 0, f.stderr());
    assert.match(shown(), /drain 2 hosts: block new logons \(drain\), warn Active users, log off everyone left after 5m, verify each host is empty/i);
    assert.match(shown(), /rds01 +3 +alice +Active +warn, then log off after the grace/);
    assert.match(shown(), /rds01 +4 +bob +Disconnected +log off after the grace \(cannot see a warning\)/);
    assert.match(shown(), /rds02 +no user sessions/);
    assert.match(shown(), /users who reconnect or log on before the end are warned and logged off too/);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Drain 2 hosts (2 user sessions)? [y/N] ');
    assert.equal(f.api.drain.secondCall.args[0].plan, plan);
  });

  it('drain --grace 0: Active users lose unsaved work, and whoever logs on before the drain reaches the host goes too', async () => {
    const f = fakeDeps({ tty: true });
    const plan: DrainReport = {
      hosts: [{ host: 'rds01', status: 'planned', reason: null, sessionsLeft: [] }],
      actions: [planned(3, 'alice', 'Active'), act({ sessionId: null, username: null, action: 'verify', status: 'planned', reason: null })],
      errors: [],
      interrupted: false,
    };
    f.api.drain.callsFake(async () => plan);
    const shown = answer(f, false);
    assert.equal(await main(['drain', '-s', 'rds01', '--grace', '0', '--block-logons', 'none'], f.deps), 1);
    assert.match(shown(), /Plan: drain rds01: leave logons open \(--block-logons none\), log off everyone at once, verify each host is empty:/);
    assert.match(shown(), /rds01 +3 +alice +Active +log off: loses unsaved work \(no grace, no warning\)/);
    assert.match(shown(), /users who log on before the drain reaches the host are logged off too/);
  });

  it('logons drain: the plan shows each host\'s logon state now and after', async () => {
    const f = fakeDeps({ tty: true });
    const plan: LogonsReport = {
      hosts: [{ host: 'rds01', state: 'enabled' }],
      actions: [act({ sessionId: null, username: null, action: 'block-logons', status: 'planned', reason: 'mode drain' })],
      errors: [],
      interrupted: false,
    };
    f.api.logons.callsFake(async (o: { dryRun?: boolean }) => (o.dryRun ? plan : { ...plan, actions: [{ ...plan.actions[0], status: 'done' }] }));
    const shown = answer(f, false);
    assert.equal(await main(['logons', 'drain', '-s', 'rds01'], f.deps), 1);
    assert.match(shown(), /rds01 +enabled +drain/);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Set logons to drain on rds01? [y/N] ');
    assert.match(f.stderr(), /nothing done\.\n$/);
  });
});
