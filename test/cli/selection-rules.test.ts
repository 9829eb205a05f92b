import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { fakeDeps } from './fake-deps.js';

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
    assert.equal(await main(['logoff', '--user', 'b*', '--state', 'disc', '--idle-over', '2h', '-s', 'rds01'], f.deps), 0, f.stderr());
    sinon.assert.calledOnceWithExactly(f.confirm, 'Log off the sessions matching user "b*" and state Disconnected and idle over 2h on rds01? [y/N] ');
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
