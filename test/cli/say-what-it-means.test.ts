/*
 * Issue 12, "Say what it means": each message names what the operator should do, in the words of the
 * command they ran. Each test failed before its fix.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { main } from '../../src/cli/main.js';
import type { CliApi } from '../../src/cli/deps.js';
import * as core from '../../src/core/index.js';
import { createExecTransport } from '../../src/run/exec-transport.js';
import type { Runner, RunResult } from '../../src/run/runner.js';
import type { CommandSpec } from '../../src/types.js';
import { createFakeTransport, systemSessions, type FakeHostSpec } from '../helpers/fake-transport.js';
import { fakeDeps } from './fake-deps.js';

/** The real library behind the CLI, over an in-memory farm. */
function withFarm(hosts: Record<string, FakeHostSpec>, over: Parameters<typeof fakeDeps>[0] = {}) {
  const transport = createFakeTransport({ hosts });
  const f = fakeDeps({ api: core as CliApi, createTransport: sinon.stub().resolves(transport), ...over });
  return { ...f, transport };
}

function execAnswer(spec: CommandSpec): RunResult {
  const base = { command: [spec.file, ...spec.args].join(' '), stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };
  if (spec.file === 'reg') return { ...base, exitCode: 1, stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
  return { ...base, exitCode: 0 };
}

describe('CLI: logons enable through exec on a remote host names the fix for enabling', () => {
  const run = async (extra: string[]) => {
    const runner: Runner = { run: sinon.stub<[CommandSpec], Promise<RunResult>>().callsFake(async (spec) => execAnswer(spec)) };
    const transport = createExecTransport({ runner, platform: 'linux', env: {}, localNames: ['admin01'] });
    const f = fakeDeps({ api: core as CliApi, createTransport: sinon.stub().resolves(transport) });
    const code = await main(['logons', 'enable', '-s', 'rds01', '--yes', '--format', 'json', ...extra], f.deps);
    const report = JSON.parse(f.stdout()) as { actions: { action: string; status: string; reason: string }[]; errors: { code: string; message: string }[] };
    return { code, report, stderr: f.stderr() };
  };

  for (const extra of [[], ['--dry-run']]) {
    it(`logons enable -s rds01 ${extra.join(' ')}: allowing logons, --transport powershell; no blocking, no --block-logons`, async () => {
      const { code, report, stderr } = await run(extra);
      assert.equal(code, 1);
      const action = report.actions.find((a) => a.action === 'allow-logons');
      assert.equal(action?.status, 'failed');
      for (const text of [action?.reason ?? '', report.errors[0]?.message ?? '', stderr]) {
        assert.match(text, /allowing logons on a remote host/);
        assert.match(text, /--transport powershell/);
        assert.doesNotMatch(text, /block/i);
      }
      assert.equal(report.errors[0]?.code, 'ERR_UNSUPPORTED_OPERATION');
    });
  }

  it('logons drain (blocking) still speaks of blocking, without --block-logons (a drain option)', async () => {
    const runner: Runner = { run: sinon.stub<[CommandSpec], Promise<RunResult>>().callsFake(async (spec) => execAnswer(spec)) };
    const transport = createExecTransport({ runner, platform: 'linux', env: {}, localNames: ['admin01'] });
    const f = fakeDeps({ api: core as CliApi, createTransport: sinon.stub().resolves(transport) });
    assert.equal(await main(['logons', 'drain', '-s', 'rds01', '--yes'], f.deps), 1);
    assert.match(f.stderr(), /blocking logons on a remote host needs PowerShell remoting: use --transport powershell/);
    assert.doesNotMatch(f.stderr(), /--block-logons/);
  });

  it('drain keeps its own fix, which does have --block-logons none', async () => {
    const runner: Runner = { run: sinon.stub<[CommandSpec], Promise<RunResult>>().callsFake(async (spec) => execAnswer(spec)) };
    const transport = createExecTransport({ runner, platform: 'linux', env: {}, localNames: ['admin01'] });
    const f = fakeDeps({ api: core as CliApi, createTransport: sinon.stub().resolves(transport) });
    assert.equal(await main(['drain', '-s', 'rds01', '--yes', '--grace', '0'], f.deps), 1);
    assert.match(f.stderr(), /--block-logons none/);
  });
});

describe('CLI: access denied names the permission the operation needs', () => {
  it('list: query rights (Query Information), not Full Control', async () => {
    const f = withFarm({ rds01: { fault: 'access-denied' } });
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 1);
    assert.match(f.stderr(), /access denied on rds01 \(quser\): listing sessions needs query rights/);
    assert.match(f.stderr(), /Query Information/);
    assert.doesNotMatch(f.stderr(), /Full Control/);
  });

  it('logoff of another user: Full Control, as before', async () => {
    const f = withFarm({ rds01: { logoffFault: 'access-denied', sessions: [...systemSessions(), { id: 3, username: 'bob', sessionName: null, state: 'Disc' }] } });
    assert.equal(await main(['logoff', '3', '-s', 'rds01'], f.deps), 1);
    assert.match(f.stdout() + f.stderr(), /access denied on rds01 \(logoff\): .*Full Control/);
  });
});

describe('CLI: --idle-over needs a unit (quser counts idle time in minutes)', () => {
  for (const command of [['list'], ['logoff', '--yes'], ['message', '--text', 'hi', '--yes']]) {
    it(`${command[0]} --idle-over 90: exit 2 suggesting 90m, nothing runs`, async () => {
      const f = fakeDeps();
      assert.equal(await main([...command, '--idle-over', '90'], f.deps), 2);
      assert.match(f.stderr(), /--idle-over "90" needs a unit: 90m \(minutes, as quser counts idle time\), or 90h, 90d/);
      sinon.assert.notCalled(f.createTransport);
    });
  }

  it('90m, 2h and 1d are minutes, hours and days; seconds are refused (quser has no seconds)', async () => {
    for (const [value, minutes] of [['90m', 90], ['2h', 120], ['1d', 1440], ['0m', 0]] as const) {
      const f = fakeDeps();
      assert.equal(await main(['list', '--idle-over', value], f.deps), 0, f.stderr());
      assert.equal(f.api.listSessions.firstCall.args[0].idleOverMinutes, minutes);
    }
    const f = fakeDeps();
    assert.equal(await main(['list', '--idle-over', '90s'], f.deps), 2);
    assert.match(f.stderr(), /--idle-over "90s": quser counts idle time in whole minutes: give m, h or d/);
  });
});

describe('CLI: a user name where a session name was expected, and --user with a domain', () => {
  const hosts = { rds01: { sessions: [...systemSessions(), { id: 3, username: 'bob', sessionName: null, state: 'Disc' as const }, { id: 4, username: 'alice', sessionName: 'rdp-tcp#5', state: 'Active' as const }] } };

  it('logoff bob: bob is no session name but a user there: "did you mean --user bob?"', async () => {
    const f = withFarm(hosts);
    assert.equal(await main(['logoff', 'bob', '-s', 'rds01', '--format', 'json'], f.deps), 1);
    const report = JSON.parse(f.stdout()) as { actions: { status: string; reason: string }[] };
    assert.equal(report.actions[0]?.status, 'not-found');
    assert.match(report.actions[0]?.reason ?? '', /session bob does not exist; bob is a user here: did you mean --user bob\?/);
    assert.deepEqual(f.transport.calls.filter((c) => c.method === 'logoff'), [], 'nothing was logged off');
  });

  it('a name that is neither a session nor a user is plain not-found', async () => {
    const f = withFarm(hosts);
    assert.equal(await main(['logoff', 'carol', '-s', 'rds01', '--format', 'json'], f.deps), 1);
    const report = JSON.parse(f.stdout()) as { actions: { reason: string }[] };
    assert.equal(report.actions[0]?.reason, 'session carol does not exist');
  });

  for (const command of [['list'], ['logoff', '--yes'], ['message', '--text', 'hi', '--yes']]) {
    it(`${command[0]} --user CORP\\bob: nothing matches quser's bare names, and the note says why and what to give`, async () => {
      const f = withFarm(hosts);
      assert.equal(await main([...command, '-s', 'rds01', '--user', 'CORP\\bob'], f.deps), 0, f.stderr());
      assert.match(f.stderr(), /no session matched on rds01.*quser prints user names without their domain, so --user "CORP\\\\bob" cannot match: give --user bob/);
      assert.deepEqual(f.transport.calls.filter((c) => c.method === 'logoff' || c.method === 'message'), []);
    });
  }
});

describe('CLI: reading stdin from a terminal says it is waiting, and one Ctrl-C ends it', () => {
  /** A terminal's stdin: nothing arrives until the user types; `destroy` is what lets the process end. */
  function silentStdin(): AsyncIterable<Uint8Array> & { destroy: sinon.SinonSpy } {
    return { destroy: sinon.spy(), [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined), return: async () => ({ done: true, value: undefined }) }) };
  }

  for (const [argv, what] of [[['parse', 'quser'], /quser output/], [['parse', 'query-session', '-'], /query session output/], [['list', '--servers-file', '-'], /the host list \(--servers-file -\)/]] as const) {
    it(`${argv.join(' ')}: a note names what is read and how to end or cancel; Ctrl-C is exit 130, nothing done`, async () => {
      const controller = new AbortController();
      const stdin = silentStdin();
      const f = fakeDeps({ stdin, isTTY: { stdin: true, stdout: true, stderr: true }, signal: controller.signal });
      const running = main([...argv], f.deps);
      for (let i = 0; i < 200 && f.stderr() === ''; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.match(f.stderr(), what);
      assert.match(f.stderr(), /^session-logoff: reading .* from the terminal: paste or type it, then Ctrl-D on an empty line \(Ctrl-Z, Enter on Windows\); Ctrl-C cancels\n$/);
      controller.abort();
      assert.equal(await running, 130);
      assert.match(f.stderr(), /interrupted: nothing done/);
      // A pending read keeps the terminal's stdin open, and with it the process: it is let go.
      sinon.assert.calledOnce(stdin.destroy);
      sinon.assert.notCalled(f.createTransport);
    });
  }

  it('piped stdin reads silently, as before', async () => {
    const f = fakeDeps({ stdinText: 'rds01\n' });
    assert.equal(await main(['list', '--servers-file', '-'], f.deps), 0, f.stderr());
    assert.equal(f.stderr().includes('reading'), false);
    assert.deepEqual(f.api.listSessions.firstCall.args[0].servers, ['rds01']);
  });
});

describe('CLI: --verbose adds detail, --quiet keeps errors', () => {
  const QUSER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n alice                 rdp-tcp#1           2  Active          .  3/2/2026 8:12 AM\r\n bob                                       3  Disc         zz  3/2/2026 8:12 AM\r\n';

  it('--verbose: each command run with its exit code and time, each host\'s time, and the line behind a parse issue', async () => {
    const runner: Runner = {
      run: sinon.stub<[CommandSpec], Promise<RunResult>>().callsFake(async (spec) => {
        const base = { command: [spec.file, ...spec.args].join(' '), stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 7 };
        if (spec.file === 'quser') return { ...base, exitCode: 0, stdout: QUSER };
        return { ...base, exitCode: 0, stdout: '' };
      }),
    };
    const transport = createExecTransport({ runner, platform: 'linux', env: {}, localNames: ['admin01'] });
    const f = fakeDeps({ api: core as CliApi, createTransport: sinon.stub().resolves(transport) });
    assert.equal(await main(['list', '-s', 'rds01', '--verbose'], f.deps), 0, f.stderr());
    const err = f.stderr();
    assert.match(err, /^session-logoff: rds01: ran quser \/server:rds01: exit 0 in \d+ ms$/m);
    assert.match(err, /^session-logoff: warning: rds01: quser line 3: idle time "zz" is not a known form \(BAD_IDLE\)$/m);
    assert.match(err, /^session-logoff: {3}line 3 of quser on rds01: "bob +3 +Disc +zz +3\/2\/2026 8:12 AM"$/m);
    assert.match(err, /^session-logoff: rds01: \d+ command\(s\) in \d+ ms$/m);
  });

  it('without --verbose none of that (the parse issue itself is still a warning)', async () => {
    const f = withFarm({ rds01: {} });
    assert.equal(await main(['list', '-s', 'rds01'], f.deps), 0, f.stderr());
    assert.doesNotMatch(f.stderr(), /ran |command\(s\)/);
  });

  it('--quiet: no notes or warnings, but host errors still print, as --help says', async () => {
    const f = withFarm({ rds01: { fault: 'access-denied' } });
    assert.equal(await main(['list', '-s', 'rds01', '-s', 'rds02', '--user', 'nobody', '--quiet'], f.deps), 1);
    assert.match(f.stderr(), /^session-logoff: rds01: access denied/m);
    assert.doesNotMatch(f.stderr(), /no session matched/);
    const help = fakeDeps();
    await main(['list', '--help'], help.deps);
    const text = help.stdout().replace(/\s+/g, ' ');
    assert.match(text, /--quiet.*No progress, notes or warnings on stderr \(errors still print\)/);
    assert.match(text, /--verbose.*each command run/);
  });
});
