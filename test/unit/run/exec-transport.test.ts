import assert from 'node:assert/strict';
import sinon from 'sinon';
import { HostError, ValidationError } from '../../../src/errors.js';
import { createExecTransport, isLocalHost } from '../../../src/run/exec-transport.js';
import type { RunOptions, RunResult } from '../../../src/run/runner.js';
import type { CommandSpec } from '../../../src/types.js';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return { command: 'x', exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1, ...overrides };
}

function setup(results: RunResult[] = [result()]) {
  const run = sinon.stub<[CommandSpec, RunOptions?], Promise<RunResult>>();
  results.forEach((r, i) => run.onCall(i).resolves(r));
  const transport = createExecTransport({ runner: { run }, platform: 'linux', env: {}, localNames: ['rdsh-local.corp.example'] });
  return { run, transport };
}

const REG_DWORD = (name: string, hex: string): string => `\r\nHKEY_LOCAL_MACHINE\\X\r\n    ${name}    REG_DWORD    ${hex}\r\n\r\n`;

describe('exec transport (stubbed Runner)', () => {
  it('query quser runs the quser spec with the caller options', async () => {
    const { run, transport } = setup();
    const options = { timeoutMs: 5000 };
    await transport.query('rds01', 'quser', options);
    sinon.assert.calledOnceWithExactly(run, { file: 'quser', args: ['/server:rds01'] }, options);
  });

  it('query-session runs qwinsta locally', async () => {
    const { run, transport } = setup();
    await transport.query(null, 'query-session');
    sinon.assert.calledOnceWithExactly(run, { file: 'qwinsta', args: [] }, undefined);
  });

  it('logoff passes the explicit id', async () => {
    const { run, transport } = setup();
    const returned = await transport.logoff('rds01', 7);
    sinon.assert.calledOnceWithExactly(run, { file: 'logoff', args: ['7', '/server:rds01'] }, undefined);
    assert.equal(returned.exitCode, 0);
  });

  it('message puts the text on stdin and seconds in /time, not in run options', async () => {
    const { run, transport } = setup();
    const signal = new AbortController().signal;
    await transport.message('rds01', 3, "$(whoami) ' ’ ; | -x", { seconds: 30, signal });
    sinon.assert.calledOnceWithExactly(run, { file: 'msg', args: ['3', '/server:rds01', '/time:30'], input: "$(whoami) ' ’ ; | -x" }, { signal });
  });

  it('hostile input throws ValidationError before anything runs', async () => {
    const { run, transport } = setup();
    for (const call of [
      () => transport.query('$(x)', 'quser'),
      () => transport.logoff('-x', 2),
      () => transport.logoff(null, 0),
      () => transport.logoff(null, 65536),
      () => transport.message(null, 2, 'a\u0000b'),
      () => transport.setLogons('a;b', 'drain'),
      () => transport.getLogons('@f'),
    ]) {
      await assert.rejects(async () => call(), (error: unknown) => error instanceof ValidationError && error.code === 'ERR_INVALID_ARGUMENT');
    }
    sinon.assert.notCalled(run);
  });

  it('setLogons runs change logon locally (null, localhost or our own name)', async () => {
    const { run, transport } = setup([result(), result(), result()]);
    await transport.setLogons(null, 'drain');
    await transport.setLogons('localhost', 'enable');
    await transport.setLogons('RDSH-LOCAL', 'disable');
    sinon.assert.calledThrice(run);
    assert.deepEqual(run.firstCall.args[0], { file: 'change', args: ['logon', '/drain'] });
    assert.deepEqual(run.secondCall.args[0], { file: 'change', args: ['logon', '/enable'] });
    assert.deepEqual(run.thirdCall.args[0], { file: 'change', args: ['logon', '/disable'] });
  });

  it('setLogons on a remote host is an unsupported operation', async () => {
    const { run, transport } = setup();
    await assert.rejects(transport.setLogons('rds02', 'drain'), (error: unknown) => error instanceof HostError && error.code === 'ERR_UNSUPPORTED_OPERATION' && error.host === 'rds02');
    sinon.assert.notCalled(run);
  });

  it('setLogons on a remote host goes through the remote shell when one is given, never through the local runner', async () => {
    const run = sinon.stub<[CommandSpec, RunOptions?], Promise<RunResult>>();
    const remote = sinon.stub<[string, CommandSpec, RunOptions?], Promise<RunResult>>().resolves(result());
    const transport = createExecTransport({ runner: { run }, remoteShell: { run: remote }, platform: 'linux', env: {}, localNames: ['here'] });
    const options = { timeoutMs: 1000 };
    await transport.setLogons('rds02', 'drain-until-restart', options);
    sinon.assert.calledOnceWithExactly(remote, 'rds02', { file: 'change', args: ['logon', '/drainuntilrestart'] }, options);
    sinon.assert.notCalled(run);
    await transport.setLogons('here', 'enable');
    sinon.assert.calledOnce(remote);
    sinon.assert.calledOnceWithExactly(run, { file: 'change', args: ['logon', '/enable'] }, undefined);
  });

  const logonTable: Array<[string, RunResult, RunResult, string]> = [
    ['drain', result({ stdout: REG_DWORD('TSServerDrainMode', '0x2') }), result({ stdout: REG_DWORD('WinStationsDisabled', '0x0') }), 'drain'],
    ['until restart', result({ stdout: REG_DWORD('TSServerDrainMode', '0x1') }), result({ stdout: REG_DWORD('WinStationsDisabled', '0x0') }), 'drain-until-restart'],
    ['enabled', result({ stdout: REG_DWORD('TSServerDrainMode', '0x0') }), result({ stdout: REG_DWORD('WinStationsDisabled', '0x0') }), 'enabled'],
    ['disabled wins', result({ stdout: REG_DWORD('TSServerDrainMode', '0x2') }), result({ stdout: REG_DWORD('WinStationsDisabled', '0x1') }), 'disabled'],
    ['read failure', result({ exitCode: 1, stderr: 'ERROR: Access is denied.' }), result({ stdout: REG_DWORD('WinStationsDisabled', '0x0') }), 'unknown'],
  ];
  for (const [name, drain, disabled, state] of logonTable) {
    it(`getLogons: ${name} → ${state}`, async () => {
      const { run, transport } = setup([drain, disabled]);
      const got = await transport.getLogons('rds01');
      assert.equal(got.state, state);
      assert.deepEqual(run.firstCall.args[0].args, ['query', '\\\\rds01\\HKLM\\System\\CurrentControlSet\\Control\\Terminal Server', '/v', 'TSServerDrainMode']);
      assert.deepEqual(run.secondCall.args[0].args, ['query', '\\\\rds01\\HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', '/v', 'WinStationsDisabled']);
      assert.equal(got.result, drain.exitCode === 0 ? disabled : drain);
    });
  }

  it('getLogons reads the local registry for the local host', async () => {
    const { run, transport } = setup([result(), result()]);
    await transport.getLogons('localhost');
    assert.equal(run.firstCall.args[0].args[1], 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server');
  });

  it('dateOrder reads sShortDate once and caches it', async () => {
    const { run, transport } = setup([result({ stdout: '\r\nHKEY_CURRENT_USER\\Control Panel\\International\r\n    sShortDate    REG_SZ    dd.MM.yyyy\r\n' })]);
    assert.equal(await transport.dateOrder(), 'dmy');
    assert.equal(await transport.dateOrder(), 'dmy');
    sinon.assert.calledOnceWithExactly(run, { file: 'reg', args: ['query', 'HKCU\\Control Panel\\International', '/v', 'sShortDate'] }, undefined);
  });

  it('dateOrder is null when reg is missing or fails', async () => {
    const { transport } = setup([result({ exitCode: null, spawnError: 'ENOENT: spawn reg ENOENT' })]);
    assert.equal(await transport.dateOrder(), null);
    const rejecting = createExecTransport({ runner: { run: sinon.stub().rejects(new Error('boom')) }, platform: 'linux', env: {} });
    assert.equal(await rejecting.dateOrder(), null);
  });

  it('uses System32 paths on Windows', async () => {
    const run = sinon.stub<[CommandSpec, RunOptions?], Promise<RunResult>>().resolves(result());
    const transport = createExecTransport({ runner: { run }, platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, arch: 'x64' });
    await transport.query(null, 'quser');
    sinon.assert.calledOnceWithExactly(run, { file: 'C:\\Windows\\System32\\quser.exe', args: [] }, undefined);
    assert.equal(transport.name, 'exec');
  });

  it('isLocalHost', () => {
    const own = ['RDSH01.corp.example'];
    assert.equal(isLocalHost(null, own), true);
    assert.equal(isLocalHost('rdsh01', own), true);
    assert.equal(isLocalHost('rdsh01.corp.example', own), true);
    assert.equal(isLocalHost('rdsh01.other.example', own), false);
    assert.equal(isLocalHost('rdsh02', own), false);
    assert.equal(isLocalHost('::1', own), true);
    assert.equal(isLocalHost('10.0.0.1', ['10']), false);
  });
});
