/*
 * End to end: the BUILT CLI's rollout through the exec and PowerShell transports, against the PATH test doubles
 * (quser, msg, logoff, change, reg answering from one farm state file) and a real maintenance process per host
 * that restarts its host in that farm. Remote hosts with --block-logons none (change logon is local only
 * without WinRM); this machine with its logons blocked and allowed again. Nothing asserts how long anything took.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, runCli } from '../helpers/cli.js';
import { createFarmFixture, type FarmFixture } from '../helpers/farm.js';
import { requirePwsh } from '../helpers/pwsh.js';

const MAINTENANCE = fileURLToPath(new URL('../doubles/lib/maintenance.mjs', import.meta.url));
const FARM = {
  localHost: 'admin01',
  hosts: {
    admin01: { sessions: [{ id: 5, name: 'rdp-tcp#9', user: 'carol', state: 'Active', logsOffOnMessage: true }] },
    rds1: { sessions: [{ id: 2, name: 'rdp-tcp#1', user: 'alice', state: 'Active' }] },
    rds2: { sessions: [] },
  },
};

for (const transport of ['exec', 'powershell'] as const) {
  describe(`e2e: rollout --transport ${transport} against the test doubles`, function () {
    this.timeout(120_000);
    let fx: FarmFixture;
    let dir: string;
    let pwsh: Record<string, string> = {};

    before(function () {
      if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
      if (transport === 'powershell') pwsh = { SESSION_LOGOFF_PWSH: requirePwsh(this) };
    });
    beforeEach(async () => {
      fx = await createFarmFixture(FARM);
      dir = await mkdtemp(join(tmpdir(), 'rollout-t-'));
    });
    afterEach(async () => {
      await fx.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    it('remote hosts with --block-logons none, then this machine with its logons blocked and allowed again', async () => {
      const log = join(dir, 'maintenance.log');
      const env = { ...fx.env, ...pwsh, MAINT_LOG: log };
      const t = ['--transport', transport, '--retries', '0', '--grace', '1s', '--wait-back', '60s', '--yes', '--json'];
      const remote = await runCli(['rollout', '-s', 'rds1', '-s', 'rds2', '--block-logons', 'none', '--max-unavailable', '2', ...t, '--', process.execPath, MAINTENANCE, '{host}'], env);
      assert.equal(remote.code, 0, remote.stderr);
      assert.deepEqual((JSON.parse(remote.stdout) as { hosts: { host: string; status: string; logons: string }[] }).hosts.map((h) => `${h.host} ${h.status} ${h.logons}`), ['rds2 done untouched', 'rds1 done untouched']);
      const local = await runCli(['rollout', ...t, '--', process.execPath, MAINTENANCE, '{host}'], env);
      assert.equal(local.code, 0, local.stderr);
      const report = JSON.parse(local.stdout) as { hosts: { host: string; status: string }[]; actions: { action: string; status: string }[] };
      assert.deepEqual(report.hosts.map((h) => `${h.host} ${h.status}`), ['localhost done']);
      assert.deepEqual(report.actions.filter((a) => a.action.endsWith('logons')).map((a) => `${a.action} ${a.status}`), ['block-logons done', 'allow-logons done']);
      const state = await fx.readState();
      assert.deepEqual(['admin01', 'rds1', 'rds2'].map((h) => `${h} ${state.hosts[h]?.logons ?? 'enabled'} ${state.hosts[h]?.reboots ?? 0}`), ['admin01 enabled 1', 'rds1 enabled 1', 'rds2 enabled 1']);
      assert.equal(state.hosts['rds1']?.messages[0]?.text.includes('logged off at'), true, 'alice was warned');
      assert.deepEqual((await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('end')), ['end rds2', 'end rds1', 'end localhost']);
    });
  });
}
