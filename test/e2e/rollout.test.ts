/*
 * End to end: the BUILT CLI (`npm run build` first) rolling maintenance over the simulated farm, with its
 * state persisted between runs (--farm-state) and a real maintenance command per host (a node script that
 * restarts the host in that farm, or fails, or waits for a gate). Every wait is for an event (a line in a
 * file, a phase in the state file, the process' end), never a fixed sleep; nothing asserts how long anything took.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RolloutEvent, RolloutStateDoc } from '../../src/core/rollout/index.js';
import type { FarmState } from '../../src/sim/state.js';
import { CLI, killStartedClis, startCli, until } from '../helpers/cli.js';

const MAINTENANCE = fileURLToPath(new URL('../doubles/lib/maintenance.mjs', import.meta.url));
const REBOOT_CLI = fileURLToPath(new URL('../../dist/sim/reboot-cli.js', import.meta.url));
const name = (i: number): string => `rds${String(i).padStart(2, '0')}`;


const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

function farmOf(count: number, host: (i: number) => object): object {
  const hosts: Record<string, object> = {};
  for (let i = 1; i <= count; i++) hosts[name(i)] = { latencyMs: 5, ...host(i) };
  return { localHost: 'admin01', hosts };
}

/** Each line of the maintenance log counted: every host should start and end exactly once. */
function counts(log: readonly string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const line of log) seen.set(line, (seen.get(line) ?? 0) + 1);
  return seen;
}

describe('e2e: session-logoff rollout over a simulated farm kept between runs', function () {
  this.timeout(300_000);
  let dir: string;
  let files: { farm: string; farmState: string; servers: string; state: string; audit: string; log: string };
  const servers: Server[] = [];

  before(function () {
    if (process.platform === 'win32') this.skip(); // POSIX signals and process groups.
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'session-logoff-rollout-'));
    files = { farm: join(dir, 'farm.json'), farmState: join(dir, 'farm-state.json'), servers: join(dir, 'servers.txt'), state: join(dir, 'rollout.json'), audit: join(dir, 'audit.jsonl'), log: join(dir, 'maintenance.log') };
  });
  afterEach(async () => {
    killStartedClis();
    for (const s of servers.splice(0)) s.closeAllConnections(), s.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function writeFarm(count: number, host: (i: number) => object): Promise<void> {
    await writeFile(files.farm, JSON.stringify(farmOf(count, host)));
    await writeFile(files.servers, Array.from({ length: count }, (_, i) => name(i + 1)).join('\n') + '\n');
  }

  const base = (): string[] => ['rollout', '--transport', 'simulated', '--farm', files.farm, '--farm-state', files.farmState, '--retries', '0', '--yes'];
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ MAINT_LOG: files.log, ...extra });
  const command = ['--', process.execPath, MAINTENANCE, '{host}'];

  it('60 hosts with failures and reboots: the budget holds at every moment of the event log, every host ends as it should, users warned at each mark', async () => {
    const PRE_BLOCKED = [7, 23];
    await writeFarm(60, (i) => {
      const logons = PRE_BLOCKED.includes(i) ? { logons: 'drain' } : {};
      if (i % 3 === 0) return { sessions: [], ...logons };
      if (i % 3 === 1) return { sessions: [{ id: 2, name: 'rdp-tcp#1', user: `stays${i}`, state: 'Active' }], ...logons };
      return { sessions: [{ id: 2, name: 'rdp-tcp#1', user: `leaves${i}`, state: 'Active', logsOffOnMessage: true }, { id: 3, name: null, user: `away${i}`, state: 'Disc' }], ...logons };
    });
    const events: RolloutEvent[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        events.push(JSON.parse(body) as RolloutEvent);
        res.end();
      });
    });
    servers.push(hook);
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/rollout`;
    const run = startCli(
      [
        ...base(), '--servers-file', files.servers, '--max-unavailable', '10', '--min-serving', '45', '--max-failed', '5', '--on-failure', 'restore',
        '--grace', '3s', '--warn-at', '1s', '--message', '{host}: logoff in {minutes} min', '--wait-back', '60s', '--exec-timeout', '60s',
        '--state', files.state, '--audit-log', files.audit, '--notify-url', url, '--json', ...command,
      ],
      env({ MAINT_FAIL: 'rds10,rds40' }),
    );
    const end = await run.closed;
    assert.equal(end.code, 1, run.stderr());
    const report = JSON.parse(run.stdout()) as { hosts: { host: string; status: string; reason: string | null }[]; waves: string[][]; logonsBlocked: string[] };
    const failed = ['rds10', 'rds40'];
    for (const h of report.hosts) assert.equal(h.status, failed.includes(h.host) ? 'failed' : 'done', `${h.host}: ${h.reason}`);
    assert.match(report.hosts.find((h) => h.host === 'rds10')?.reason ?? '', /exited with code 1; logons allowed again/);
    assert.deepEqual(report.logonsBlocked, []);
    assert.match(run.stderr(), /\[rds10\] patch failed on rds10/);

    // Maintained exactly once each.
    const log = counts(await lines(files.log));
    for (let i = 1; i <= 60; i++) {
      assert.equal(log.get(`start ${name(i)}`), 1, name(i));
      assert.equal(log.get(failed.includes(name(i)) ? `end ${name(i)} failed` : `end ${name(i)}`), 1, name(i));
    }

    // The budget from the audit log, in the order the changes were made.
    const out = new Set(PRE_BLOCKED.map(name));
    let peak = out.size;
    for (const e of (await lines(files.audit)).map((l) => JSON.parse(l) as { host: string; action: string; result: string })) {
      if (e.action === 'allow-logons' && e.result === 'done') out.delete(e.host);
      else out.add(e.host);
      peak = Math.max(peak, out.size);
      assert.ok(60 - out.size >= 45, `fewer than 45 serving after ${JSON.stringify(e)}`);
    }
    assert.ok(peak <= 10 && peak >= 8, `peak ${peak} hosts out of service`);

    // The notifications: every wave starts only when the previous one has ended.
    assert.equal(events[0]?.event, 'rollout-started');
    assert.equal(events.at(-1)?.event, 'rollout-finished');
    const open = new Set<string>();
    for (const e of events) {
      if (e.event === 'wave-started') {
        assert.equal(open.size, 0, `wave ${e.wave} started while ${[...open].join(', ')} were in flight`);
        for (const h of report.waves[(e.wave ?? 0) - 1] ?? []) open.add(h);
      }
      if (e.event === 'host-done' || e.event === 'host-failed') open.delete(e.host ?? '');
    }
    assert.equal(events.filter((e) => e.event === 'host-done').length, 58);

    // The farm: logons allowed everywhere but where they were blocked before; users who stayed warned twice.
    const farm = await readJson<FarmState>(files.farmState);
    assert.deepEqual(Object.keys(farm.hosts).filter((h) => (farm.hosts[h]?.logons ?? 'enabled') !== 'enabled'), PRE_BLOCKED.map(name));
    for (let i = 1; i <= 60; i += 3) assert.deepEqual(farm.hosts[name(i)]?.messages.map((m) => m.text), [`${name(i)}: logoff in 1 min`, `${name(i)}: logoff in 1 min`], name(i));
    assert.equal(farm.hosts['rds05']?.reboots, 1);

    const status = startCli(['rollout', 'status', files.state], {});
    assert.equal((await status.closed).code, 1, 'two hosts failed');
    assert.match(status.stderr(), /58\/60 done, 2 failed, 0 pending/);
  });

  it('kill -9 mid-run, then --resume: every host maintained exactly once, none left blocked', async () => {
    await writeFarm(12, (i) => ({ sessions: i % 2 ? [{ id: 2, name: 'rdp-tcp#1', user: `u${i}`, state: 'Active', logsOffOnMessage: true }] : [] }));
    const first = startCli([...base(), '--servers-file', files.servers, '--canary', '0', '--max-unavailable', '3', '--on-failure', 'restore', '--grace', '1m', '--wait-back', '60s', '--state', files.state, '--json', ...command], env({ MAINT_GATE: 'rds05' }));
    // rds05 waits at its gate: kill -9 while its maintenance runs. The state says 'maintaining' just before the
    // command is spawned, so also wait for the command itself (its pid line): a kill in between left rds05's
    // command never started, and the wait for its end below never ended (a 300 s timeout under load).
    await until('rds05 maintaining', async () => (await readJson<RolloutStateDoc>(files.state).catch(() => null))?.hosts.find((h) => h.host === 'rds05')?.phase === 'maintaining', first);
    await until('rds05 maintenance command running', async () => (await lines(files.log)).some((l) => l.startsWith('pid rds05 ')), first);
    first.child.kill('SIGKILL');
    assert.equal((await first.closed).signal, 'SIGKILL');
    // Every host whose maintenance had started (rds05 for sure, maybe others of its wave) is 'maintaining'.
    const killed = await readJson<RolloutStateDoc>(files.state);
    const unknown = killed.hosts.filter((h) => h.phase === 'maintaining').map((h) => h.host);
    assert.ok(unknown.includes('rds05'));
    // The orphaned commands go on by themselves and finish (their hosts restart).
    await writeFile(`${files.log}.gate`, '');
    await until('the orphans finished', async () => {
      const log = await lines(files.log);
      return log.filter((l) => l.startsWith('start')).length === log.filter((l) => l.startsWith('end')).length && log.includes('end rds05');
    });

    const status = startCli(['rollout', 'status', files.state, '--json'], {});
    assert.equal((await status.closed).code, 1);
    assert.equal((JSON.parse(status.stdout()) as { hosts: { host: string; status: string }[] }).hosts.find((h) => h.host === 'rds05')?.status, 'running');

    // The operator accepts those failures (--max-failed may change on a resume) and goes on.
    const second = startCli([...base(), '--resume', files.state, '--max-failed', '3', '--json'], env());
    const end = await second.closed;
    assert.equal(end.code, 1, second.stderr());
    const report = JSON.parse(second.stdout()) as { hosts: { host: string; status: string; reason: string | null }[] };
    for (const h of report.hosts) {
      assert.equal(h.status, unknown.includes(h.host) ? 'failed' : 'done', `${h.host}: ${h.reason}`);
      if (unknown.includes(h.host)) assert.match(h.reason ?? '', /^outcome unknown: .*logons allowed again/);
    }
    // Maintained exactly once: never run again by the resume. (A host killed between recording 'maintaining'
    // and starting its command is never started at all: outcome unknown, for the operator to decide.)
    const log = counts(await lines(files.log));
    for (let i = 1; i <= 12; i++) {
      const host = name(i);
      const once = unknown.includes(host) && host !== 'rds05' ? [0, 1] : [1];
      assert.ok(once.includes(log.get(`start ${host}`) ?? 0), `${host} started once`);
      assert.equal(log.get(`end ${host}`) ?? 0, log.get(`start ${host}`) ?? 0, `${host} maintained once`);
    }
    const farm = await readJson<FarmState>(files.farmState);
    assert.deepEqual(Object.keys(farm.hosts).filter((h) => (farm.hosts[h]?.logons ?? 'enabled') !== 'enabled'), [], 'none left blocked');
  });

  it('SIGTERM: exit 143, the partial report, warned users get the cancel message, the running command is ended, the state saved', async () => {
    await writeFarm(2, (i) => ({ sessions: i === 1 ? [{ id: 2, name: 'rdp-tcp#1', user: 'alice', state: 'Active' }] : [] }));
    const run = startCli([...base(), '-s', 'rds01', '-s', 'rds02', '--canary', '0', '--max-unavailable', '2', '--grace', '10m', '--state', files.state, '--audit-log', files.audit, '--json', ...command], env({ MAINT_GATE: 'rds02' }));
    await until('alice warned and rds02 maintaining', async () => {
      const warned = (await lines(files.audit)).some((l) => l.includes('"message"'));
      const log = await lines(files.log);
      return warned && log.some((l) => l.startsWith('pid rds02'));
    }, run);
    const pid = Number((await lines(files.log)).find((l) => l.startsWith('pid rds02'))?.split(' ')[2]);
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.closed, { code: 143, signal: null }, run.stderr());
    const report = JSON.parse(run.stdout()) as { interrupted: boolean; hosts: { host: string; status: string; phase: string }[] };
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.hosts.map((h) => `${h.host} ${h.status} ${h.phase}`), ['rds02 interrupted maintaining', 'rds01 interrupted draining']);
    const farm = await readJson<FarmState>(files.farmState);
    const texts = farm.hosts['rds01']?.messages.map((m) => m.text) ?? [];
    assert.equal(texts.length, 2);
    assert.match(texts[1] ?? '', /cancelled: you will not be logged off/);
    const saved = await readJson<RolloutStateDoc>(files.state);
    assert.deepEqual(saved.hosts.map((h) => `${h.host} ${h.status} ${h.phase}`), ['rds02 interrupted maintaining', 'rds01 interrupted draining']);
    // The command was ended with its process group, and never reported.
    await until('the maintenance process is gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(!(await lines(files.log)).includes('end rds02'));
  });

  it('a failing canary stops the rollout: one host touched, exit 1; its forgotten block is named past its lease and undone by logons enable --expired; the reboot helper restarts hosts', async () => {
    await writeFarm(5, () => ({ sessions: [] }));
    const run = startCli([...base(), '--servers-file', files.servers, '--state', files.state, '--lease', '0', '--json', ...command], env({ MAINT_FAIL: 'rds01' }));
    assert.equal((await run.closed).code, 1, run.stderr());
    const report = JSON.parse(run.stdout()) as { hosts: { host: string; status: string }[]; stopped: { reason: string } };
    assert.deepEqual(report.hosts.map((h) => `${h.host} ${h.status}`), ['rds01 failed', 'rds02 pending', 'rds03 pending', 'rds04 pending', 'rds05 pending']);
    assert.equal(report.stopped.reason, 'canary');
    assert.match(run.stderr(), /the canary failed \(rds01\)/);
    assert.match(run.stderr(), /logons enable -s rds01 --transport simulated --farm \S+ --yes/);
    assert.deepEqual(await lines(files.log), ['start rds01', 'end rds01 failed']);

    // rds01 stays blocked (--on-failure keep) past its lease (0 here): named, and undone by --expired.
    const status = startCli(['rollout', 'status', files.state], {});
    assert.equal((await status.closed).code, 1);
    // No --transport given to status: the hint says to add the rollout's own before the command (7180230).
    assert.match(status.stderr(), /blocked by this rollout for longer than its lease: rds01; to allow them again \(add the --transport and --farm the rollout ran with, if not the defaults\): session-logoff logons enable --expired /);
    const sim = ['--transport', 'simulated', '--farm', files.farm];
    const farmEnv = { SESSION_LOGOFF_FARM_STATE: files.farmState };
    const before = startCli(['logons', 'status', '--expired', files.state, ...sim, '--json'], farmEnv);
    assert.equal((await before.closed).code, 0, before.stderr());
    assert.deepEqual((JSON.parse(before.stdout()) as { hosts: unknown[] }).hosts, [{ host: 'rds01', state: 'drain' }]);
    const enable = startCli(['logons', 'enable', '--expired', files.state, ...sim, '--yes', '--json'], farmEnv);
    assert.equal((await enable.closed).code, 0, enable.stderr());
    assert.equal((await readJson<FarmState>(files.farmState)).hosts['rds01']?.logons, 'enabled');
    // Recorded in the state file: no longer named as a forgotten block.
    const after = startCli(['rollout', 'status', files.state], {});
    assert.equal((await after.closed).code, 1, 'rds01 still failed');
    assert.doesNotMatch(after.stderr(), /longer than its lease/);
    assert.match(after.stdout(), /rds01 .*allowed/);
    const refused = startCli(['logons', 'enable', '--expired', files.state, '-s', 'rds02', ...sim, '--yes'], farmEnv);
    assert.equal((await refused.closed).code, 2);

    // The same farm, through dist/sim/reboot-cli.js as the maintenance command.
    const again = startCli([...base(), '-s', 'rds02', '-s', 'rds03', '--max-unavailable', '2', '--', process.execPath, REBOOT_CLI, '{host}', '200ms'], {});
    assert.equal((await again.closed).code, 0, again.stderr());
    assert.match(again.stderr(), /\[rds02\] rds02: restarting, back in 200 ms/);
    const farm = await readJson<FarmState>(files.farmState);
    assert.deepEqual(['rds01', 'rds02', 'rds03'].map((h) => `${farm.hosts[h]?.logons} ${farm.hosts[h]?.reboots ?? 0}`), ['enabled 0', 'enabled 1', 'enabled 1']);
  });
});
