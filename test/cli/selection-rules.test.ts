import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { fakeDeps, planOn } from './fake-deps.js';

// Issue 9: what a command selects is what its prompt says, and a warning always gets its wait.

function assertRefused(f: ReturnType<typeof fakeDeps>, code: number, flag: RegExp): void {
  assert.equal(code, 2, f.stderr());
  assert.match(f.stderr(), flag);
  assert.equal(f.stderr().trim().split('\n').length, 1, f.stderr());
  sinon.assert.notCalled(f.createTransport);
  sinon.assert.notCalled(f.confirm);
}

describe('CLI: explicit targets and filters never mix', () => {
  const EXPLICIT = [['4'], ['rdp-tcp#6'], ['--self'], ['4', '--self']];
  const MASS: [string[], RegExp][] = [
    [['--user', 'bob'], /cannot be combined with --user/],
    [['-u', 'bob'], /cannot be combined with --user/],
    [['--state', 'disc'], /cannot be combined with --state/],
    [['--idle-over', '2h'], /cannot be combined with --idle-over/],
    [['--all'], /cannot be combined with --all/],
  ];
  for (const command of ['logoff', 'message']) {
    for (const explicit of EXPLICIT) {
      for (const [mass, flag] of MASS) {
        const argv = [command, ...explicit, ...mass, '-s', 'rds01', '--yes', ...(command === 'message' ? ['--text', 'hi'] : [])];
        it(`${argv.join(' ')}: exit 2 naming ${flag.source}, nothing runs`, async () => {
          const f = fakeDeps({ tty: true });
          assertRefused(f, await main(argv, f.deps), flag);
        });
      }
    }
  }

  it('the logoff.exe shortcut follows the same rule: 4 /server:rds01 --user bob is exit 2', async () => {
    const f = fakeDeps();
    assertRefused(f, await main(['4', '/server:rds01', '--user', 'bob'], f.deps), /cannot be combined with --user/);
  });

  it('ids and names together, and filters together, still run', async () => {
    let f = fakeDeps();
    assert.equal(await main(['logoff', '4', 'rdp-tcp#6', '--self', '-s', 'rds01'], f.deps), 0, f.stderr());
    assert.deepEqual(f.api.logoff.firstCall.args[0].targets, ['4', 'rdp-tcp#6']);
    assert.equal(f.api.logoff.firstCall.args[0].self, true);
    f = fakeDeps({ tty: true });
    planOn(f.api.logoff, ['rds01']);
    assert.equal(await main(['logoff', '--user', 'b*', '--state', 'disc', '--idle-over', '2h', '-s', 'rds01'], f.deps), 0, f.stderr());
    assert.match(f.stderr(), /Plan: log off the sessions matching user "b\*" and state Disconnected and idle over 2h on rds01:/);
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off this session on rds01? [y/N] ');
  });
});

describe('CLI: logoff --message needs --grace', () => {
  it('--message without --grace: exit 2 naming --grace, nothing runs', async () => {
    for (const argv of [['logoff', '3', '--message', 'bye'], ['logoff', '--all', '-m', 'bye', '--yes'], ['logoff', '3', '--message', 'bye', '--dry-run']]) {
      const f = fakeDeps();
      assertRefused(f, await main(argv, f.deps), /--grace/);
    }
  });

  it('--grace 0 given explicitly warns and logs off at once; --grace 5m waits', async () => {
    for (const [grace, ms] of [['0', 0], ['0s', 0], ['5m', 300_000]] as const) {
      const f = fakeDeps();
      assert.equal(await main(['logoff', '3', '--message', 'bye', '--grace', grace], f.deps), 0, f.stderr());
      assert.equal(f.api.logoff.firstCall.args[0].graceMs, ms);
      assert.equal(f.api.logoff.firstCall.args[0].message, 'bye');
    }
  });

  it('--grace without --message stays exit 2', async () => {
    const f = fakeDeps();
    assertRefused(f, await main(['logoff', '3', '--grace', '5m'], f.deps), /--grace/);
  });
});

describe('CLI: list takes the filters of logoff', () => {
  it('--user, --state (as quser prints it) and --idle-over reach the library as logoff gets them', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '-s', 'rds01', '--user', 'b*', '--state', 'Disc,conn', '--state', 'ACTIVE', '--idle-over', '2h'], f.deps), 0, f.stderr());
    const options = f.api.listSessions.firstCall.args[0];
    assert.equal(options.user, 'b*');
    assert.deepEqual(options.states, ['Disconnected', 'Connected', 'Active']);
    assert.equal(options.idleOverMinutes, 120);
    const g = fakeDeps({ tty: true });
    assert.equal(await main(['logoff', '-s', 'rds01', '--user', 'b*', '--state', 'Disc,conn', '--state', 'ACTIVE', '--idle-over', '2h'], g.deps), 0, g.stderr());
    const logoff = g.api.logoff.firstCall.args[0];
    assert.deepEqual([logoff.user, logoff.states, logoff.idleOverMinutes], [options.user, options.states, options.idleOverMinutes]);
  });

  it('without filters, list passes none', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list'], f.deps), 0);
    const options = f.api.listSessions.firstCall.args[0];
    assert.deepEqual([options.user, options.states, options.idleOverMinutes], [undefined, undefined, undefined]);
  });

  it('bad filter values, --all-sessions with a filter, and targets are exit 2, nothing runs', async () => {
    const cases: [string[], RegExp][] = [
      [['list', '--state', 'sleepy'], /--state/],
      [['list', '--user', '-x'], /--user/],
      [['list', '--idle-over', '1.5h'], /--idle-over/],
      [['list', '--all-sessions', '--state', 'disc'], /--all-sessions/],
      [['list', '3'], /unexpected argument|3/],
      [['list', '--all'], /--all/],
    ];
    for (const [argv, pattern] of cases) {
      const f = fakeDeps();
      assertRefused(f, await main(argv, f.deps), pattern);
    }
  });

  it('a filter that matched nothing says so on stderr', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '-s', 'rds01', '--state', 'disc'], f.deps), 0);
    assert.equal(f.stderr(), 'session-logoff: no session matched on rds01\n');
  });
});

describe('CLI: --state accepts what quser prints, on every command that has it', () => {
  for (const command of ['list', 'logoff', 'message']) {
    it(`${command} --state disc / Disc / DISCONNECTED / conn / Getr.`, async () => {
      for (const [word, state] of [['disc', 'Disconnected'], ['Disc', 'Disconnected'], ['DISCONNECTED', 'Disconnected'], ['conn', 'Connected'], ['Getr.', 'Disconnected']]) {
        const f = fakeDeps();
        const argv = [command, '--state', word ?? '', ...(command === 'list' ? [] : ['--yes']), ...(command === 'message' ? ['--text', 'hi'] : [])];
        assert.equal(await main(argv, f.deps), 0, `${word}: ${f.stderr()}`);
        const api = command === 'list' ? f.api.listSessions : command === 'logoff' ? f.api.logoff : f.api.sendMessage;
        assert.deepEqual(api.firstCall.args[0].states, [state]);
      }
    });
  }
});

describe('CLI: the confirmation names explicit targets as they are', () => {
  it('--self over several hosts plans "your own session", not an empty filter', async () => {
    for (const [argv, plan] of [
      [['logoff', '--self', '-s', 'a', '-s', 'b'], 'Plan: log off your own session on 2 hosts:'],
      [['logoff', '4', '--self', '-s', 'a', '-s', 'b'], 'Plan: log off session 4 and your own session on 2 hosts:'],
    ] as const) {
      const f = fakeDeps({ tty: true });
      planOn(f.api.logoff, ['a', 'b']);
      assert.equal(await main([...argv], f.deps), 0, f.stderr());
      assert.ok(f.stderr().includes(plan), f.stderr());
      sinon.assert.calledOnceWithExactly(f.confirm, 'Log off these 2 sessions on 2 hosts? [y/N] ');
    }
  });
});
