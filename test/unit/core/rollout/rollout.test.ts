import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollout, rolloutExitCode, type RolloutOptions, type RolloutReport, type RolloutStateDoc } from '../../../../src/core/rollout/index.js';
import { rebootHost } from '../../../../src/sim/reboot.js';
import { createRolloutFarm, farmOf, type RolloutFarm } from '../../../helpers/rollout-farm.js';
import { useVirtualTime } from '../../../helpers/virtual-time.js';

const MINUTE = 60_000;
const stays = (i: number): object => ({ id: 2, name: 'rdp-tcp#1', user: `user${i}`, state: 'Active' });
const statuses = (r: RolloutReport): string[] => r.hosts.map((h) => `${h.host} ${h.status}`);

/** Runs a rollout in virtual time over `count` hosts; `maintain` defaults to a 30 s reboot. */
async function run(farm: RolloutFarm, count: number, options: Partial<RolloutOptions> = {}): Promise<RolloutReport> {
  const time = useVirtualTime();
  try {
    return await time.run(
      rollout({
        transport: farm.transport,
        servers: Array.from({ length: count }, (_, i) => `rds${String(i + 1).padStart(2, '0')}`),
        graceMs: 0,
        onWarning: () => undefined,
        maintain: async (host) => void rebootHost(farm.state(), host, 30_000, Date.now()),
        ...options,
      }),
    );
  } finally {
    time.restore();
  }
}

describe('core/rollout', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rollout-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('orders hosts by sessions (fewest first), canary alone, then waves of --max-unavailable', async () => {
    const farm = createRolloutFarm(farmOf(5, (i) => ({ sessions: Array.from({ length: 5 - i }, (_, k) => ({ ...stays(i), id: 2 + k, user: `u${i}-${k}` })) })));
    const report = await run(farm, 5, { maxUnavailable: 2 });
    assert.deepEqual(report.waves, [['rds05'], ['rds04', 'rds03'], ['rds02', 'rds01']]);
    assert.deepEqual(statuses(report), ['rds05 done', 'rds04 done', 'rds03 done', 'rds02 done', 'rds01 done']);
    assert.equal(rolloutExitCode(report), 0);
    for (const host of Object.values(farm.state().hosts)) assert.equal(host.logons ?? 'enabled', 'enabled');
  });

  it('a failing canary stops the rollout: nothing else is touched', async () => {
    const farm = createRolloutFarm(farmOf(4));
    const maintained: string[] = [];
    const report = await run(farm, 4, {
      canary: 1,
      maxFailed: 5,
      maintain: async (host) => {
        maintained.push(host);
        throw new Error('exit 1');
      },
    });
    assert.deepEqual(maintained, ['rds01']);
    assert.deepEqual(statuses(report), ['rds01 failed', 'rds02 pending', 'rds03 pending', 'rds04 pending']);
    assert.equal(report.stopped?.reason, 'canary');
    assert.match(report.hosts[1]?.reason ?? '', /canary failed \(rds01\)/);
    assert.deepEqual(report.logonsBlocked, ['rds01'], '--on-failure keep (default)');
    assert.equal(farm.state().hosts['rds01']?.logons, 'drain');
    assert.equal(farm.state().hosts['rds02']?.logons ?? 'enabled', 'enabled');
    assert.equal(rolloutExitCode(report), 1);
  });

  it('--max-failed: more failures stop new waves; the current wave completes', async () => {
    const farm = createRolloutFarm(farmOf(7));
    const report = await run(farm, 7, {
      canary: 0,
      maxUnavailable: 3,
      maxFailed: 1,
      onFailure: 'restore',
      maintain: async (host) => {
        if (host === 'rds01' || host === 'rds02') throw new Error('exit 1');
      },
    });
    assert.deepEqual(report.waves, [['rds01', 'rds02', 'rds03']]);
    assert.deepEqual(statuses(report), ['rds01 failed', 'rds02 failed', 'rds03 done', 'rds04 pending', 'rds05 pending', 'rds06 pending', 'rds07 pending']);
    assert.equal(report.stopped?.reason, 'max-failed');
    assert.match(report.hosts[0]?.reason ?? '', /logons allowed again/);
    assert.deepEqual(report.logonsBlocked, []);
  });

  it('hosts out of service shrink the waves: blocked before the run, or kept blocked after a failure', async () => {
    const farm = createRolloutFarm(farmOf(6, (i) => (i === 6 ? { sessions: [stays(6)], logons: 'disabled' } : { sessions: [] })));
    const report = await run(farm, 6, {
      canary: 0,
      maxUnavailable: 3,
      maxFailed: 5,
      maintain: async (host) => {
        if (host === 'rds01') throw new Error('exit 1');
      },
    });
    // rds06 (blocked before; 1 session, so last in order) is out already: it joins the first wave at no cost, and
    // takes a place in every count. After rds01 failed and kept its block, one place is left per wave.
    assert.deepEqual(report.waves, [['rds01', 'rds02', 'rds06'], ['rds03'], ['rds04'], ['rds05']]);
    assert.equal(report.hosts.find((h) => h.host === 'rds06')?.logons, 'untouched');
    assert.match(report.hosts.find((h) => h.host === 'rds06')?.reason ?? '', /logons were disabled before the rollout: left as they were/);
    assert.equal(farm.state().hosts['rds06']?.logons, 'disabled');
  });

  it('stops with the budget spent: --min-serving cannot be kept', async () => {
    const farm = createRolloutFarm(farmOf(4, (i) => ({ sessions: [], ...(i <= 2 ? { logons: 'drain' } : {}) })));
    const report = await run(farm, 4, { canary: 0, maxUnavailable: 4, minServing: 2 });
    // rds01 and rds02 are out already (cost nothing); rds03 and rds04 would leave fewer than 2 serving.
    assert.deepEqual(report.waves, [['rds01', 'rds02']]);
    assert.equal(report.stopped?.reason, 'budget');
    assert.deepEqual(statuses(report).slice(2), ['rds03 pending', 'rds04 pending']);
  });

  it('refuses a plan that cannot run before touching anything', async () => {
    const farm = createRolloutFarm(farmOf(3));
    for (const [options, argument] of [
      [{ minServing: 3 }, 'minServing'],
      [{ maxUnavailable: '0%' }, 'maxUnavailable'],
      [{ maxUnavailable: 0 }, 'maxUnavailable'],
      [{ message: `{host}${'x'.repeat(250)}` }, 'message'],
      [{ onFailure: 'undo' as never }, 'onFailure'],
      [{ maintain: 'patch.ps1' as never }, 'maintain'],
    ] as const) {
      await assert.rejects(run(farm, 3, options as Partial<RolloutOptions>), (e: { code: string; argument: string }) => e.code === 'ERR_INVALID_ARGUMENT' && e.argument === argument);
    }
    assert.deepEqual(farm.state().calls, []);
  });

  it('--block-logons none: logons neither blocked nor allowed again', async () => {
    const farm = createRolloutFarm(farmOf(2));
    const report = await run(farm, 2, { blockLogons: 'none' });
    assert.deepEqual(statuses(report), ['rds01 done', 'rds02 done']);
    assert.ok(!farm.state().calls.some((c) => c.program === 'change'), 'no change logon at all');
  });

  it('a dry run plans the waves and changes nothing', async () => {
    const farm = createRolloutFarm(farmOf(5));
    let maintained = 0;
    const report = await run(farm, 5, { dryRun: true, maxUnavailable: '50%', maintain: async () => void maintained++ });
    assert.deepEqual(report.waves, [['rds01'], ['rds02', 'rds03'], ['rds04', 'rds05']]);
    assert.equal(maintained, 0);
    assert.ok(farm.state().calls.every((c) => c.program === 'quser' || c.program === 'reg'));
    assert.equal(rolloutExitCode(report), 0);
  });

  it('stopped while the hosts are read: nothing changed, no state file to resume a half-read plan from', async () => {
    const farm = createRolloutFarm(farmOf(3));
    const stateFile = join(dir, 'state.json');
    const controller = new AbortController();
    controller.abort();
    const report = await run(farm, 3, { stateFile, signal: controller.signal });
    assert.equal(report.interrupted, true);
    assert.deepEqual(statuses(report), ['rds01 pending', 'rds02 pending', 'rds03 pending']);
    await assert.rejects(readFile(stateFile), { code: 'ENOENT' });
    assert.ok(!farm.state().calls.some((c) => c.program === 'change' || c.program === 'logoff' || c.program === 'msg'));
  });

  it('Ctrl-C mid-grace: warned users get the cancel message, the state file records it, --resume finishes every host once', async () => {
    const farm = createRolloutFarm(farmOf(3, (i) => ({ sessions: [stays(i)] })));
    const stateFile = join(dir, 'state.json');
    const controller = new AbortController();
    const maintained: string[] = [];
    const options: Partial<RolloutOptions> = { graceMs: 10 * MINUTE, canary: 0, maxUnavailable: 2, maintain: async (h) => void maintained.push(h) };
    const time = useVirtualTime();
    let first: RolloutReport;
    try {
      setTimeout(() => controller.abort(), 3 * MINUTE);
      first = await time.run(rollout({ transport: farm.transport, servers: ['rds01', 'rds02', 'rds03'], stateFile, signal: controller.signal, onWarning: () => undefined, ...options } as RolloutOptions));
    } finally {
      time.restore();
    }
    assert.equal(first.interrupted, true);
    assert.deepEqual(statuses(first), ['rds01 interrupted', 'rds02 interrupted', 'rds03 pending']);
    assert.deepEqual(first.logonsBlocked, ['rds01', 'rds02']);
    const texts = farm.state().hosts['rds01']?.messages.map((m) => m.text) ?? [];
    assert.equal(texts.length, 2);
    assert.match(texts[1] ?? '', /cancelled: you will not be logged off/);
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as RolloutStateDoc;
    assert.deepEqual(saved.hosts.map((h) => `${h.host} ${h.status} ${h.phase} ${h.warned.length}`), ['rds01 interrupted draining 0', 'rds02 interrupted draining 0', 'rds03 pending pending 0']);

    const second = await run(farm, 0, { ...options, servers: undefined as never, resumeFrom: stateFile } as Partial<RolloutOptions>);
    assert.deepEqual(statuses(second), ['rds01 done', 'rds02 done', 'rds03 done']);
    assert.deepEqual(maintained.sort(), ['rds01', 'rds02', 'rds03']);
    // A fresh grace after the cancel: warned again, in 10 minutes.
    assert.match(farm.state().hosts['rds01']?.messages[2]?.text ?? '', /in 10 minutes/);
  });

  it('after a crash mid-maintenance (status still running): outcome unknown, never run twice; --rerun-interrupted runs it again', async () => {
    const farm = createRolloutFarm(farmOf(2));
    const stateFile = join(dir, 'state.json');
    let snapshot = '';
    await run(farm, 2, {
      stateFile,
      maxUnavailable: 2,
      maintain: async (host) => {
        // Synchronous: virtual time must not run ahead of a real read.
        if (host === 'rds01') snapshot = readFileSync(stateFile, 'utf8');
      },
    });
    // What kill -9 during rds01's maintenance leaves: rds01 running in 'maintaining', rds02 pending.
    const crashed = JSON.parse(snapshot) as RolloutStateDoc;
    assert.deepEqual(crashed.hosts.map((h) => `${h.host} ${h.status} ${h.phase}`), ['rds01 running maintaining', 'rds02 pending pending']);
    for (const [rerun, expected] of [[false, 'rds01 failed'], [true, 'rds01 done']] as const) {
      await writeFile(stateFile, snapshot);
      const maintained: string[] = [];
      const report = await run(farm, 0, { resumeFrom: stateFile, rerunInterrupted: rerun, maxFailed: 1, maintain: async (h) => void maintained.push(h) });
      assert.equal(statuses(report)[0], expected, JSON.stringify(report.hosts));
      assert.deepEqual(maintained, rerun ? ['rds01', 'rds02'] : ['rds02']);
      if (!rerun) assert.match(report.hosts[0]?.reason ?? '', /^outcome unknown: the maintenance started at .* never reported.*--rerun-interrupted to run it again; new logons stay blocked \(--on-failure keep\)/);
    }
  });

  it('a resume with another command is refused; --stop-after starts no new wave and a resume goes on', async () => {
    const farm = createRolloutFarm(farmOf(4));
    const stateFile = join(dir, 'state.json');
    const first = await run(farm, 4, { stateFile, command: ['patch', '{host}'], stopAfterMs: 1, maintain: async () => undefined });
    assert.deepEqual(statuses(first), ['rds01 done', 'rds02 pending', 'rds03 pending', 'rds04 pending']);
    assert.equal(first.stopped?.reason, 'stop-after');
    await assert.rejects(run(farm, 0, { resumeFrom: stateFile, command: ['other'] }), { code: 'ERR_INVALID_ARGUMENT' });
    const second = await run(farm, 0, { resumeFrom: stateFile, command: ['patch', '{host}'], maintain: async () => undefined });
    assert.deepEqual(statuses(second), ['rds01 done', 'rds02 done', 'rds03 done', 'rds04 done']);
    assert.deepEqual(second.waves, [['rds01'], ['rds02'], ['rds03'], ['rds04']]);
  });
});
