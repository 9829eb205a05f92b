import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ValidationError } from '../../../src/errors.js';
import type { PsEnvelope, PsFunction, PsHost } from '../../../src/run/ps-host.js';
import { createPowerShellTransport } from '../../../src/run/ps-transport.js';
import type { RunOptions } from '../../../src/run/runner.js';

function reply(overrides: Partial<PsEnvelope> = {}): PsEnvelope {
  return { exitCode: 0, stdout: '', stderr: '', spawnError: null, error: null, data: null, timedOut: false, aborted: false, durationMs: 3, ...overrides };
}

function setup(replies: PsEnvelope[] = [reply()]) {
  const invoke = sinon.stub<[PsFunction, Record<string, unknown>, RunOptions?], Promise<PsEnvelope>>();
  replies.forEach((r, i) => invoke.onCall(i).resolves(r));
  const dispose = sinon.stub<[], Promise<void>>().resolves();
  const psHost: PsHost = { invoke, dispose };
  return { invoke, dispose, transport: createPowerShellTransport({ psHost, localNames: ['rdsh-local'] }) };
}

describe('PowerShell transport (stubbed PsHost)', () => {
  it('query sends kind and server as data and maps the envelope to a RunResult', async () => {
    const { invoke, transport } = setup([reply({ exitCode: 1, stderr: 'No User exists for *\n', durationMs: 9 })]);
    const options = { timeoutMs: 1000 };
    const result = await transport.query('rds01', 'quser', options);
    sinon.assert.calledOnceWithExactly(invoke, 'query', { kind: 'quser', server: 'rds01' }, options);
    assert.deepEqual(result, { command: '[powershell] quser /server:rds01', exitCode: 1, stdout: '', stderr: 'No User exists for *\n', timedOut: false, aborted: false, spawnError: null, durationMs: 9 });
  });

  it('local query sends an empty server', async () => {
    const { invoke, transport } = setup();
    await transport.query(null, 'query-session');
    sinon.assert.calledOnceWithExactly(invoke, 'query', { kind: 'query-session', server: '' }, undefined);
  });

  it('message sends the normalised text as data, seconds defaulting to 0', async () => {
    const { invoke, transport } = setup([reply(), reply()]);
    await transport.message('rds01', 4, "a\r\n$(whoami) ' ’");
    sinon.assert.calledWithExactly(invoke.firstCall, 'message', { sessionId: 4, server: 'rds01', seconds: 0, text: "a\n$(whoami) ' ’" }, {});
    const signal = new AbortController().signal;
    await transport.message(null, 4, 'x', { seconds: 20, signal });
    sinon.assert.calledWithExactly(invoke.secondCall, 'message', { sessionId: 4, server: '', seconds: 20, text: 'x' }, { signal });
  });

  it('validates before invoking anything', async () => {
    const { invoke, transport } = setup();
    for (const call of [
      () => transport.query("a'b", 'quser'),
      () => transport.logoff(null, 0),
      () => transport.logoff('rds01', 65536),
      () => transport.message(null, 2, ''),
      () => transport.message('|x', 2, 'hi'),
      () => transport.setLogons(null, 'bogus' as 'drain'),
      () => transport.getLogons('$(x)'),
    ]) {
      await assert.rejects(call(), (error: unknown) => error instanceof ValidationError && error.code === 'ERR_INVALID_ARGUMENT');
    }
    sinon.assert.notCalled(invoke);
  });

  it('setLogons is local for our own names and remote (WinRM) otherwise', async () => {
    const { invoke, transport } = setup([reply(), reply()]);
    await transport.setLogons('RDSH-LOCAL', 'drain');
    const remote = await transport.setLogons('rds02', 'disable');
    sinon.assert.calledWithExactly(invoke.firstCall, 'setLogons', { mode: 'drain', server: '' }, undefined);
    sinon.assert.calledWithExactly(invoke.secondCall, 'setLogons', { mode: 'disable', server: 'rds02' }, undefined);
    assert.match(remote.command, /Invoke-Command -ComputerName rds02/u);
  });

  it('getLogons maps the two registry reads', async () => {
    const drain = { exitCode: 0, stdout: '    TSServerDrainMode    REG_DWORD    0x1\r\n' };
    const disabled = { exitCode: 0, stdout: '    WinStationsDisabled    REG_DWORD    0x0\r\n' };
    const { invoke, transport } = setup([reply({ data: { drain, disabled } }), reply({ exitCode: null, error: 'boom' }), reply({ data: { drain: { exitCode: 1, stdout: '' }, disabled } })]);
    assert.equal((await transport.getLogons('rds01')).state, 'drain-until-restart');
    sinon.assert.calledWithExactly(invoke.firstCall, 'getLogons', { server: 'rds01' }, undefined);
    const failed = await transport.getLogons(null);
    assert.equal(failed.state, 'unknown');
    assert.equal(failed.result.stderr, 'boom');
    assert.equal((await transport.getLogons(null)).state, 'unknown');
  });

  it('carries timeouts, aborts and spawn errors through', async () => {
    const { transport } = setup([reply({ exitCode: null, timedOut: true }), reply({ exitCode: null, aborted: true }), reply({ exitCode: null, spawnError: 'ENOENT: quser not found' })]);
    assert.equal((await transport.query(null, 'quser')).timedOut, true);
    assert.equal((await transport.logoff(null, 2)).aborted, true);
    assert.equal((await transport.query(null, 'quser')).spawnError, 'ENOENT: quser not found');
  });

  it('dateOrder caches the culture pattern; dispose disposes the host', async () => {
    const { invoke, dispose, transport } = setup([reply({ data: 'yyyy/M/d' })]);
    assert.equal(await transport.dateOrder(), 'ymd');
    assert.equal(await transport.dateOrder(), 'ymd');
    sinon.assert.calledOnce(invoke);
    await transport.dispose();
    sinon.assert.calledOnce(dispose);
    assert.equal(transport.name, 'powershell');
  });
});
