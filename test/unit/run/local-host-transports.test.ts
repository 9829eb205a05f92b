/*
 * The local-host rule inside the transports: where change logon and the registry reads run. Only a name that
 * certainly is this machine runs them here; a name that only may be (unresolvable with our first label, a VIP)
 * goes to that host or is refused, never run locally (that ran change logon here while the host stayed open).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createExecTransport } from '../../../src/run/exec-transport.js';
import { createLocalHostRule, type Resolve } from '../../../src/run/local-host.js';
import type { PsEnvelope, PsFunction, PsHost } from '../../../src/run/ps-host.js';
import { createPowerShellTransport } from '../../../src/run/ps-transport.js';
import type { RunOptions, RunResult } from '../../../src/run/runner.js';
import { parseFarm } from '../../../src/sim/farm.js';
import { farmLocalHost } from '../../../src/sim/local-names.js';
import { findHost, createFarmState } from '../../../src/sim/state.js';
import type { CommandSpec } from '../../../src/types.js';

const OWN = '10.0.0.5';
const resolve: Resolve = async (name) =>
  ({ 'rdsh01.corp.example': [OWN], alias: [OWN, '::1'], vip: [OWN, '10.0.0.6'], 'rdsh01.other.example': ['10.9.9.9'] })[name] ?? [];
const rule = () => createLocalHostRule({ names: ['rdsh01'], addresses: [OWN], resolve });

const HERE = [null, 'localhost', '127.0.0.1', '127.3.2.1', '::1', 'rdsh01', 'RDSH01', OWN, 'rdsh01.corp.example', 'alias'];
const NOT_HERE = ['vip', 'rdsh01.nowhere.example', 'rdsh01.other.example', 'rds02'];

function result(): RunResult {
  return { command: 'x', exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, spawnError: null, durationMs: 1 };
}

describe('exec transport: where change logon runs', () => {
  function setup() {
    const run = sinon.stub<[CommandSpec, RunOptions?], Promise<RunResult>>().resolves(result());
    const remote = sinon.stub<[string, CommandSpec, RunOptions?], Promise<RunResult>>().resolves(result());
    const withShell = createExecTransport({ runner: { run }, remoteShell: { run: remote }, platform: 'linux', env: {}, localHost: rule() });
    const bare = createExecTransport({ runner: { run }, platform: 'linux', env: {}, localHost: rule() });
    return { run, remote, withShell, bare };
  }

  for (const host of HERE) {
    it(`${String(host)}: this machine, change logon and the registry run here`, async () => {
      const { run, remote, withShell, bare } = setup();
      assert.equal(await bare.locate?.(host), 'this-machine');
      await bare.assertCanSetLogons?.(host);
      await bare.setLogons(host, 'drain');
      await withShell.setLogons(host, 'drain');
      sinon.assert.notCalled(remote);
      assert.deepEqual(run.args.map((a) => a[0]), [{ file: 'change', args: ['logon', '/drain'] }, { file: 'change', args: ['logon', '/drain'] }]);
      run.resetHistory();
      await bare.getLogons(host);
      assert.ok(run.args.every(([spec]) => !spec.args.some((a) => a.startsWith('\\\\'))), 'a local registry read');
    });
  }

  for (const host of NOT_HERE) {
    it(`${host}: not known to be this machine, so never run here (remote shell, or unsupported)`, async () => {
      const { run, remote, withShell, bare } = setup();
      await assert.rejects(bare.assertCanSetLogons?.(host) ?? Promise.resolve(), { code: 'ERR_UNSUPPORTED_OPERATION' });
      await assert.rejects(bare.setLogons(host, 'drain'), { code: 'ERR_UNSUPPORTED_OPERATION' });
      await withShell.setLogons(host, 'drain');
      sinon.assert.calledOnceWithExactly(remote, host, { file: 'change', args: ['logon', '/drain'] }, undefined);
      sinon.assert.notCalled(run);
      await bare.getLogons(host);
      assert.ok(run.args.every(([spec]) => spec.args.some((a) => a.startsWith(`\\\\${host}\\`))), 'the registry of that host');
    });
  }

  it('locate validates the name before any lookup', async () => {
    const { bare } = setup();
    await assert.rejects(bare.locate?.('-x') ?? Promise.resolve(), { code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('PowerShell transport: where change logon runs', () => {
  function setup() {
    const invoke = sinon.stub<[PsFunction, Record<string, unknown>, RunOptions?], Promise<PsEnvelope>>().resolves({
      exitCode: 0, stdout: '', stderr: '', spawnError: null, error: null, data: null, timedOut: false, aborted: false, durationMs: 1,
    });
    const psHost: PsHost = { invoke, dispose: sinon.stub<[], Promise<void>>().resolves() };
    return { invoke, transport: createPowerShellTransport({ psHost, localHost: rule() }) };
  }

  it('names of this machine run here (server ""), the others over WinRM to that name', async () => {
    for (const host of HERE) {
      const { invoke, transport } = setup();
      assert.equal(await transport.locate?.(host), 'this-machine');
      await transport.setLogons(host, 'drain');
      await transport.getLogons(host);
      assert.deepEqual(invoke.args.map((a) => a[1]['server']), ['', ''], String(host));
    }
    for (const host of NOT_HERE) {
      const { invoke, transport } = setup();
      await transport.setLogons(host, 'drain');
      await transport.getLogons(host);
      assert.deepEqual(invoke.args.map((a) => a[1]['server']), [host, host], host);
    }
  });
});

describe('simulated farm: the same rule over the farm identity', () => {
  const farm = parseFarm({
    localHost: 'admin01',
    localNames: ['admin01.corp.example', '10.1.0.5'],
    hosts: { admin01: { sessions: [] }, rds01: { sessions: [] }, 'admin01.other.example': { sessions: [] } },
  });

  it('/server: with a loopback name or address, the name or a localNames entry reaches the local host', () => {
    const state = createFarmState(farm, 0);
    for (const server of [null, '.', 'localhost', '127.0.0.1', '127.9.9.9', '::1', 'ADMIN01', 'admin01.corp.example', '10.1.0.5']) {
      assert.equal(findHost(state, server)?.name, 'admin01', String(server));
    }
    assert.equal(findHost(state, 'admin01.other.example')?.name, 'admin01.other.example');
    assert.equal(findHost(state, 'rds01')?.name, 'rds01');
  });

  it('the transport rule: farm hosts resolve elsewhere, unknown names do not resolve', async () => {
    const r = farmLocalHost(farm);
    assert.equal(await r.locate('admin01.corp.example'), 'this-machine');
    assert.equal(await r.locate('10.1.0.5'), 'this-machine');
    assert.equal(await r.locate('admin01.other.example'), 'other');
    assert.equal(await r.locate('rds01'), 'other');
    assert.equal(await r.locate('admin01.nowhere.example'), 'maybe-this-machine');
    assert.equal(await r.locate('nowhere'), 'other');
  });

  it('localNames must be host names or addresses, and not another farm host', () => {
    assert.throws(() => parseFarm({ localHost: 'a', localNames: 'a.corp', hosts: {} }), { code: 'ERR_INVALID_ARGUMENT', argument: 'farm.localNames' });
    assert.throws(() => parseFarm({ localHost: 'a', localNames: ['ok', '-x'], hosts: {} }), { code: 'ERR_INVALID_ARGUMENT', argument: 'farm.localNames[1]' });
    assert.throws(() => parseFarm({ localHost: 'a', localNames: ['rds01'], hosts: { rds01: { sessions: [] } } }), { code: 'ERR_INVALID_ARGUMENT', argument: 'farm.localNames' });
  });
});
