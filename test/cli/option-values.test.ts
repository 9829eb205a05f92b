import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import { assertOptionValues } from '../../src/cli/option-values.js';
import { fakeDeps } from './fake-deps.js';

// Issue 9: `--server -help` printed help and exited 0 (yargs read -help as -h -e -l -p): a value that looks
// like an option where a value is needed is invalid input naming the flag, for every option with a value.

/** Each command with what it needs to get past its own checks, and every option of it that takes a value. */
const HOST = ['server', 's', 'servers-file', 'shard', 'concurrency', 'timeout', 'retries', 'transport', 'farm', 'audit-log', 'format', 'o'];
const FILTERS = ['user', 'u', 'state', 'idle-over'];
const COMMANDS: [string[], string[]][] = [
  [['list'], [...HOST, ...FILTERS]],
  [['logoff', '3'], [...HOST, ...FILTERS, 'message', 'm', 'grace']],
  [['message', '3', '--text', 'hi'], [...HOST, ...FILTERS, 'text', 't', 'time']],
  [['drain', '--yes'], [...HOST, 'block-logons', 'message', 'm', 'grace', 'remind-every', 'verify-timeout', 'report']],
  [['logons', 'status'], HOST],
  [['parse', 'quser', 'out.txt'], ['encoding', 'e', 'date-order', 'format', 'o']],
  [['report', 'merge', 'a.json'], ['format', 'o']],
];
const LOOKS_LIKE_OPTIONS = ['-help', '--help', '-h', '--all', '--yes', '-x', '--', '-5'];

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function assertNamed(f: ReturnType<typeof fakeDeps>, code: number, shown: string, value: string): void {
  assert.equal(code, 2, `${shown} ${value}: exit ${code}\n${f.stderr()}${f.stdout()}`);
  assert.equal(f.stdout(), '', 'no help on stdout');
  const line = f.stderr();
  assert.equal(line.trim().split('\n').length, 1, line);
  assert.ok(line.startsWith(`session-logoff: ${shown}`), `names the flag as typed: ${line}`);
  assert.ok(line.includes(JSON.stringify(value)), `shows the value: ${line}`);
  sinon.assert.notCalled(f.createTransport);
}

describe('CLI: an option-like value where a value is needed is exit 2 naming the flag', () => {
  for (const [base, options] of COMMANDS) {
    for (const name of options) {
      it(`${base.join(' ')} ${flag(name)} <option-like>`, async () => {
        for (const value of LOOKS_LIKE_OPTIONS) {
          const f = fakeDeps({ readFile: sinon.stub().resolves(Buffer.from('')) });
          assertNamed(f, await main([...base, flag(name), value], f.deps), flag(name), value);
        }
      });
    }
  }

  it('the examples of the issue: --server -help, -s --all, --user -x, --grace --yes', async () => {
    for (const argv of [['list', '--server', '-help'], ['logoff', '-s', '--all'], ['logoff', '--user', '-x'], ['logoff', '3', '--message', 'hi', '--grace', '--yes']]) {
      const f = fakeDeps();
      assertNamed(f, await main(argv, f.deps), argv[argv.length - 2] ?? '', argv[argv.length - 1] ?? '');
    }
  });

  it('a short option at the end of a group takes the next token too: -qs -help', async () => {
    const f = fakeDeps();
    assertNamed(f, await main(['list', '-qs', '-help'], f.deps), '-s', '-help');
  });

  it('the error says how to pass such a value on purpose (--flag=value)', async () => {
    const f = fakeDeps();
    await main(['message', '3', '--text', '-hello there'], f.deps);
    assert.match(f.stderr(), /--text="-hello there"|--text=-hello/);
  });
});

describe('CLI: values that are meant stay accepted', () => {
  it('--text=-hello: a message may start with "-" when given with =', async () => {
    const f = fakeDeps();
    assert.equal(await main(['message', '3', '--text=-hello there'], f.deps), 0, f.stderr());
    assert.equal(f.api.sendMessage.firstCall.args[0].text, '-hello there');
  });

  it('--server=-help reaches validation and is refused as a host (exit 2, never help)', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '--server=-help'], f.deps), 2);
    assert.match(f.stderr(), /invalid --server "-help"/);
    assert.equal(f.stdout(), '');
  });

  it('--servers-file - still reads stdin, and parse <kind> - too', async () => {
    const f = fakeDeps({ stdinText: 'rds01\n' });
    assert.equal(await main(['list', '--servers-file', '-'], f.deps), 0, f.stderr());
    assert.deepEqual(f.api.listSessions.firstCall.args[0].servers, ['rds01']);
  });

  it('options after -- are positionals, not values: logoff --yes -- 3', async () => {
    const f = fakeDeps();
    assert.equal(await main(['logoff', '-s', 'rds01', '--', '3'], f.deps), 0, f.stderr());
    assert.deepEqual(f.api.logoff.firstCall.args[0].targets, ['3']);
  });

  it('--help alone, and after a complete option, is still help (exit 0)', async () => {
    for (const argv of [['list', '--help'], ['list', '-s', 'rds01', '--help'], ['logoff', '-h']]) {
      const f = fakeDeps();
      assert.equal(await main(argv, f.deps), 0, argv.join(' '));
      assert.match(f.stdout(), /session-logoff/);
    }
  });
});

describe('assertOptionValues', () => {
  const values = new Set(['server', 's', 'text']);
  it('short groups: the last letter takes the next token, a middle one takes the rest of the group', () => {
    assert.throws(() => assertOptionValues(['list', '-qs', '-x'], values), { code: 'ERR_INVALID_ARGUMENT', argument: '-s' });
    assert.doesNotThrow(() => assertOptionValues(['list', '-sq', '-x'], values), '-sq is -s q; -x is for yargs to judge');
    assert.doesNotThrow(() => assertOptionValues(['list', '-s', 'rds01', '-x'], values));
  });

  it('a value is consumed: --text --help is refused, --text hi --help is help', () => {
    assert.throws(() => assertOptionValues(['message', '--text', '--help'], values), { argument: '--text' });
    assert.doesNotThrow(() => assertOptionValues(['message', '--text', 'hi', '--help'], values));
  });

  it('= forms, a lone -, a missing value and anything after -- are left to yargs and validation', () => {
    for (const argv of [['list', '--server=-x'], ['list', '--server', '-'], ['list', '--server'], ['logoff', '--', '--server', '-x']]) {
      assert.doesNotThrow(() => assertOptionValues(argv, values), argv.join(' '));
    }
  });
});
