/*
 * Issue 12, "Habits of Node CLIs": what users of npm, gh, kubectl and chalk-based CLIs expect without
 * reading the help. Each test failed before its fix.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import type { SessionRecord } from '../../src/types.js';
import { fakeDeps } from './fake-deps.js';

const alice: SessionRecord = { host: 'rds01', id: 2, username: 'alice', sessionName: 'rdp-tcp#1', state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null };

describe('CLI habits: top-level typos and the version flag', () => {
  for (const [typo, meant] of [['--verison', '--version'], ['--hepl', '--help'], ['--vresion', '--version']]) {
    it(`${typo} alone: exit 2 with "Did you mean ${meant}?" (it said "Name a command")`, async () => {
      const f = fakeDeps();
      assert.equal(await main([typo], f.deps), 2);
      assert.equal(f.stderr(), `session-logoff: unknown option ${typo}. Did you mean ${meant}? (see session-logoff --help)\n`);
    });
  }

  it('a known option without a command still asks for a command', async () => {
    const f = fakeDeps();
    assert.equal(await main(['--json'], f.deps), 2);
    assert.match(f.stderr(), /Name a command/);
  });

  for (const flag of ['-v', '-V', '--version']) {
    it(`${flag} prints the version, exit 0`, async () => {
      const f = fakeDeps();
      assert.equal(await main([flag], f.deps), 0);
      assert.match(f.stdout(), /^\d+\.\d+\.\d+\n$/);
      assert.equal(f.stderr(), '');
    });
  }
});

describe('CLI habits: --color, --no-color and FORCE_COLOR as in chalk-based CLIs; NO_COLOR kept', () => {
  const colored = async (argv: string[], tty: boolean, env: Record<string, string> = {}): Promise<boolean> => {
    const f = fakeDeps({ tty, env });
    f.api.listSessions.resolves({ sessions: [alice], errors: [] });
    assert.equal(await main(['list', ...argv], f.deps), 0, f.stderr());
    return f.stdout().includes('\u001b[');
  };

  it('--color colours a table that is not on a terminal; --no-color plain on one', async () => {
    assert.equal(await colored(['--color'], false), true);
    assert.equal(await colored(['--no-color'], true), false);
    assert.equal(await colored(['--color=false'], true), false);
  });

  it('FORCE_COLOR=1 (or empty, true) colours a pipe; FORCE_COLOR=0 (or false) turns a terminal plain', async () => {
    for (const value of ['1', '2', '3', '', 'true']) assert.equal(await colored([], false, { FORCE_COLOR: value }), true, `FORCE_COLOR=${value}`);
    for (const value of ['0', 'false']) assert.equal(await colored([], true, { FORCE_COLOR: value }), false, `FORCE_COLOR=${value}`);
  });

  it('NO_COLOR still turns a terminal plain; a flag on the command line wins over both variables', async () => {
    assert.equal(await colored([], true, { NO_COLOR: '1' }), false);
    assert.equal(await colored(['--color'], true, { NO_COLOR: '1' }), true);
    assert.equal(await colored(['--no-color'], false, { FORCE_COLOR: '1' }), false);
    // FORCE_COLOR over NO_COLOR, as Node's own tty.getColorDepth() decides.
    assert.equal(await colored([], false, { NO_COLOR: '1', FORCE_COLOR: '1' }), true);
  });

  it('JSON never carries colour, whatever is forced', async () => {
    const f = fakeDeps({ tty: true, env: { FORCE_COLOR: '3' } });
    f.api.listSessions.resolves({ sessions: [alice], errors: [] });
    assert.equal(await main(['list', '--json', '--color'], f.deps), 0);
    assert.doesNotMatch(f.stdout(), /\u001b/);
    sinon.assert.calledOnce(f.api.listSessions);
  });
});
