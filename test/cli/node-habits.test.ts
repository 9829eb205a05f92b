/*
 * Issue 12, "Habits of Node CLIs": what users of npm, gh, kubectl and chalk-based CLIs expect without
 * reading the help. Each test failed before its fix.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import type { CliApi } from '../../src/cli/deps.js';
import { main } from '../../src/cli/main.js';
import * as core from '../../src/core/index.js';
import { createExecTransport } from '../../src/run/exec-transport.js';
import type { Runner, RunResult } from '../../src/run/runner.js';
import type { CommandSpec, SessionRecord } from '../../src/types.js';
import { fakeDeps } from './fake-deps.js';

const alice: SessionRecord = { host: 'rds01', id: 2, username: 'alice', sessionName: 'rdp-tcp#1', state: 'Active', stateText: 'Active', idleMinutes: 0, idleText: '.', logonTime: null, logonText: null, isCurrent: false, type: null, device: null };

describe('CLI habits: top-level typos and the version flag', () => {
  for (const [typo, meant] of [['--verison', '--version'], ['--hepl', '--help'], ['--vresion', '--version']] as const) {
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

  // yargs reads `--color=<anything>` of a boolean as false, so `--color=always` (ls, grep and git spell it so)
  // turned colour off, and a typo passed silently.
  it('--color=always|never|auto as in ls, grep and git (true/false too); any other value is refused before any host is asked', async () => {
    assert.equal(await colored(['--color=always'], false), true);
    assert.equal(await colored(['--color=true'], false), true);
    assert.equal(await colored(['--color=never'], true), false);
    assert.equal(await colored(['--color=auto'], true), true);
    assert.equal(await colored(['--color=auto'], false), false);
    assert.equal(await colored(['--color=auto'], true, { NO_COLOR: '1' }), false);
    for (const bad of ['--color=alwayz', '--color=', '--color=1']) {
      const f = fakeDeps({ tty: true });
      assert.equal(await main(['list', bad], f.deps), 2, bad);
      assert.match(f.stderr(), /invalid --color "[^"]*": expected always, never or auto/u);
      sinon.assert.notCalled(f.api.listSessions);
    }
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

describe('CLI habits: completion bash|zsh|fish, and --<TAB> offers long option names', () => {
  const SCRIPTS: [string, RegExp[]][] = [
    ['bash', [/^###-begin-session-logoff-completions-###$/m, /SHELL=bash session-logoff --get-yargs-completions/, /^complete -o bashdefault -o default -F _session-logoff_yargs_completions session-logoff$/m]],
    ['zsh', [/^#compdef session-logoff$/m, /SHELL=zsh session-logoff --get-yargs-completions/, /compdef _session-logoff_yargs_completions session-logoff/]],
    ['fish', [/^complete -f -c session-logoff -a '\(env SHELL=fish session-logoff --get-yargs-completions \(commandline -o\)\[2\.\.-1\]\)'$/m]],
  ];
  for (const [shell, patterns] of SCRIPTS) {
    it(`completion ${shell} prints the ${shell} script (it was "unknown command")`, async () => {
      const f = fakeDeps();
      assert.equal(await main(['completion', shell], f.deps), 0, f.stderr());
      for (const pattern of patterns) assert.match(f.stdout(), pattern);
      assert.equal(f.stderr(), '');
    });
  }

  it('completion alone picks the shell from $SHELL (bash when unknown)', async () => {
    for (const [SHELL, first] of [['/usr/bin/fish', /complete -f -c/], ['/bin/zsh', /#compdef/], ['', /complete -o bashdefault/]] as const) {
      const f = fakeDeps({ env: { SHELL } });
      assert.equal(await main(['completion'], f.deps), 0);
      assert.match(f.stdout(), first);
    }
  });

  it('completion --help is help (it printed the bash script); an unknown shell is exit 2', async () => {
    let f = fakeDeps();
    assert.equal(await main(['completion', '--help'], f.deps), 0);
    assert.match(f.stdout(), /session-logoff completion \[shell\]/);
    assert.match(f.stdout(), /bash.*zsh.*fish/s);
    assert.doesNotMatch(f.stdout(), /###-begin/);
    f = fakeDeps();
    assert.equal(await main(['completion', 'tcsh'], f.deps), 2);
    assert.match(f.stderr(), /invalid <shell> "tcsh": expected bash, zsh or fish/);
  });

  const complete = async (line: string[]): Promise<string[]> => {
    const f = fakeDeps();
    assert.equal(await main(['--get-yargs-completions', 'session-logoff', ...line], f.deps), 0, f.stderr());
    return f.stdout().trim().split('\n').map((l) => l.split(/\t|(?<!\\):/)[0] ?? '');
  };

  it('list --<TAB>: long option names only (it offered --s)', async () => {
    const names = await complete(['list', '--']);
    for (const name of ['--server', '--servers-file', '--format', '--user', '--idle-over', '--help']) assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
    assert.deepEqual(names.filter((n) => !/^--[a-z][a-z-]+$/.test(n)), []);
  });

  it('list --se<TAB>: the long names with that start', async () => {
    assert.deepEqual((await complete(['list', '--se'])).sort(), ['--server', '--servers-file']);
  });

  it('<TAB> after the program: the commands', async () => {
    const names = await complete(['']);
    for (const name of ['list', 'logoff', 'drain', 'logons', 'completion']) assert.ok(names.includes(name), name);
  });
});

describe('CLI habits: cordon / uncordon, as kubectl names them', () => {
  for (const [alias, mode] of [['cordon', 'drain'], ['uncordon', 'enable']] as const) {
    it(`${alias} is logons ${mode}: the same library call, the same confirmation rule`, async () => {
      const f = fakeDeps();
      assert.equal(await main([alias, '-s', 'rds01', '-s', 'rds02', '--yes'], f.deps), 0, f.stderr());
      sinon.assert.calledOnce(f.api.logons);
      const options = f.api.logons.firstCall.args[0] as { mode?: string; servers?: string[] };
      assert.equal(options.mode, mode);
      assert.deepEqual(options.servers, ['rds01', 'rds02']);
      const g = fakeDeps();
      assert.equal(await main([alias, '-s', 'rds01'], g.deps), 2, 'not on a terminal: --yes needed, as for logons');
      assert.match(g.stderr(), /--yes/);
      sinon.assert.notCalled(g.createTransport);
    });

    it(`${alias} --help says which logons action it is; ${alias} takes no action word`, async () => {
      let f = fakeDeps();
      assert.equal(await main([alias, '--help'], f.deps), 0);
      assert.match(f.stdout(), new RegExp(`session-logoff ${alias}\\b`));
      assert.match(f.stdout(), new RegExp(`logons ${mode}`));
      f = fakeDeps();
      assert.equal(await main([alias, 'status', '-s', 'rds01', '--yes'], f.deps), 2);
      sinon.assert.notCalled(f.createTransport);
    });
  }

  it('the top-level help lists both', async () => {
    const f = fakeDeps();
    await main(['--help'], f.deps);
    assert.match(f.stdout(), /session-logoff cordon .*logons drain/);
    assert.match(f.stdout(), /session-logoff uncordon .*logons enable/);
  });
});

describe('CLI habits: --farm implies the simulated transport; no quser here names the fix', () => {
  it('--farm <file> alone rehearses (it needed --transport simulated too)', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '--farm', 'my-farm.json', '-s', 'rdsh01'], f.deps), 0, f.stderr());
    sinon.assert.calledOnceWithMatch(f.createTransport, 'simulated', sinon.match({ farmFile: 'my-farm.json' }));
  });

  it('--farm example is the farm that ships with the package, wherever it is installed', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '--farm', 'example', '-s', 'rdsh01'], f.deps), 0, f.stderr());
    const farmFile = (f.createTransport.firstCall.args[1] as { farmFile: string }).farmFile;
    assert.ok(path.isAbsolute(farmFile), farmFile);
    assert.equal(farmFile, fileURLToPath(new URL('../../examples/farm.json', import.meta.url)));
    assert.ok(existsSync(farmFile));
  });

  it('--farm with an explicit other transport is still a contradiction (exit 2)', async () => {
    const f = fakeDeps();
    assert.equal(await main(['list', '--farm', 'x.json', '--transport', 'exec'], f.deps), 2);
    assert.match(f.stderr(), /--farm/);
    sinon.assert.notCalled(f.createTransport);
  });

  const noQuser = (platform: NodeJS.Platform) => {
    const runner: Runner = {
      run: sinon.stub<[CommandSpec], Promise<RunResult>>().callsFake(async (spec) => ({ command: [spec.file, ...spec.args].join(' '), exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: `ENOENT: spawn ${spec.file} ENOENT`, durationMs: 1 })),
    };
    const transport = createExecTransport({ runner, platform: 'linux', env: {}, localNames: ['admin01'] });
    return fakeDeps({ platform, api: core as CliApi, createTransport: sinon.stub().resolves(transport) });
  };

  it('the default transport on a machine without quser: each host fails, then one line names the fix', async () => {
    const f = noQuser('linux');
    assert.equal(await main(['list', '-s', 'rds01', '-s', 'rds02'], f.deps), 1);
    const hints = f.stderr().split('\n').filter((l) => l.includes('rehearse'));
    assert.deepEqual(hints, ['session-logoff: quser was not found: it is a Windows program (this machine runs linux). Run session-logoff on Windows, or rehearse with --transport simulated --farm <file> (--farm example: the farm that ships with the package)']);
    assert.match(f.stderr(), /^session-logoff: rds01: could not start quser/m);
  });

  it('no such line on Windows, where a missing quser is another story (Home edition)', async () => {
    const f = noQuser('win32');
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 1);
    assert.doesNotMatch(f.stderr(), /rehearse/);
  });
});

describe('CLI habits: --format ndjson carries host errors as records, so a stream is complete', () => {
  const error = { host: 'rds02', code: 'ERR_ACCESS_DENIED', message: 'access denied on rds02 (quser): …' };
  const lines = (text: string): unknown[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);

  it('list: the sessions, then {"type":"error",host,code,message} per failed host', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [alice], errors: [error] });
    assert.equal(await main(['list', '-s', 'rds01', '-s', 'rds02', '--format', 'ndjson'], f.deps), 1);
    assert.deepEqual(lines(f.stdout()), [alice, { type: 'error', ...error }]);
    assert.match(f.stderr(), /rds02: access denied/, 'stderr still says it');
  });

  it('logoff, drain and logons too', async () => {
    const action = { host: 'rds01', sessionId: 3, username: 'bob', action: 'logoff', status: 'done', reason: null };
    for (const [argv, api, report] of [
      [['logoff', '3', '-s', 'rds01', '-s', 'rds02', '--yes'], 'logoff', { actions: [action], errors: [error], interrupted: false }],
      [['drain', '-s', 'rds01', '-s', 'rds02', '--yes'], 'drain', { hosts: [], actions: [action], errors: [error], interrupted: false }],
      [['logons', 'status', '-s', 'rds01', '-s', 'rds02'], 'logons', { hosts: [{ host: 'rds01', state: 'enabled' }], actions: [], errors: [error], interrupted: false }],
    ] as const) {
      const f = fakeDeps();
      f.api[api].resolves(report);
      await main([...argv, '--format', 'ndjson'], f.deps);
      const records = lines(f.stdout());
      assert.deepEqual(records[records.length - 1], { type: 'error', ...error }, argv.join(' '));
      assert.equal(records.length, 2, argv.join(' '));
    }
  });

  it('no errors, no error records (the stream is as before)', async () => {
    const f = fakeDeps();
    f.api.listSessions.resolves({ sessions: [alice], errors: [] });
    assert.equal(await main(['list', '--format', 'ndjson'], f.deps), 0);
    assert.deepEqual(lines(f.stdout()), [alice]);
  });
});
