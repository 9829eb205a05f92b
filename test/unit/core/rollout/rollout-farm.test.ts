import assert from 'node:assert/strict';
import type { AuditEvent } from '../../../../src/core/index.js';
import { rollout, rolloutExitCode, type RolloutEvent, type RolloutOptions } from '../../../../src/core/rollout/index.js';
import type { Transport } from '../../../../src/run/transport.js';
import { rebootHost } from '../../../../src/sim/reboot.js';
import type { FarmState } from '../../../../src/sim/state.js';
import { createRolloutFarm, farmOf } from '../../../helpers/rollout-farm.js';
import { useVirtualTime } from '../../../helpers/virtual-time.js';

/*
 * Issue 11's farm test, in virtual time (sinon's fake timers): 60 simulated hosts (the farm engine of
 * --transport simulated), users who stay, users who leave at the first warning, hosts blocked before the run,
 * maintenances that reboot the host, fail, hang, or leave it down too long. The budget is checked twice at
 * every moment: from the event log (audit events in order) and from the farm itself at every call the
 * rollout makes. No wall-clock assertion: every wait is a timer fired in due order.
 */

const MINUTE = 60_000;
const name = (i: number): string => `rds${String(i).padStart(2, '0')}`;
const PRE_BLOCKED = new Set([7, 23]);
const MAINTENANCE_FAILS = new Set([10, 40]);
const MAINTENANCE_HANGS = 50;
const STAYS_DOWN = 33;

function hostSpec(i: number): object {
  const logons = PRE_BLOCKED.has(i) ? { logons: 'drain' } : {};
  if (i % 3 === 0) return { sessions: [], ...logons };
  if (i % 3 === 1) return { sessions: [{ id: 2, name: 'rdp-tcp#1', user: `stays${i}`, state: 'Active' }], ...logons };
  return {
    sessions: [
      { id: 2, name: 'rdp-tcp#1', user: `leaves${i}`, state: 'Active', logsOffOnMessage: true },
      { id: 3, name: null, user: `away${i}`, state: 'Disc', idleMinutes: 90 },
    ],
    ...logons,
  };
}

/** Wraps a transport so `check` sees the farm before every call the rollout makes. */
function watched(transport: Transport, check: () => void): Transport {
  const wrap = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> => {
    check();
    return fn(...args);
  };
  return { ...transport, query: wrap(transport.query), logoff: wrap(transport.logoff), message: wrap(transport.message), setLogons: wrap(transport.setLogons), getLogons: wrap(transport.getLogons) };
}

function outInFarm(state: FarmState, hosts: readonly string[], now: number): number {
  return hosts.filter((h) => {
    const host = state.hosts[h];
    return host !== undefined && ((host.logons ?? 'enabled') !== 'enabled' || (host.rebootingUntil ?? 0) > now);
  }).length;
}

describe('core/rollout: 60 simulated hosts with failures and reboots', function () {
  this.timeout(120_000);

  it('never exceeds the budget, warns at each mark, ends every host done or failed as it should', async () => {
    const farm = createRolloutFarm(farmOf(60, hostSpec));
    const servers = Array.from({ length: 60 }, (_, i) => name(i + 1));
    const maintained = new Map<string, number>();
    const audit: AuditEvent[] = [];
    const events: RolloutEvent[] = [];
    let peakFarmOut = 0;
    const time = useVirtualTime();
    const options: RolloutOptions = {
      transport: watched(farm.transport, () => (peakFarmOut = Math.max(peakFarmOut, outInFarm(farm.state(), servers, Date.now())))),
      servers,
      maxUnavailable: 6,
      minServing: 50,
      canary: 1,
      maxFailed: 10,
      onFailure: 'restore',
      graceMs: 10 * MINUTE,
      warnAtMs: [5 * MINUTE, MINUTE],
      message: '{host}: logoff at {deadline}, in {minutes} min',
      waitBackMs: 5 * MINUTE,
      maintainTimeoutMs: 10 * MINUTE,
      concurrency: 16,
      onWarning: () => undefined,
      onEvent: (e) => audit.push(e),
      onRolloutEvent: (e) => events.push(e),
      maintain: async (host, signal) => {
        maintained.set(host, (maintained.get(host) ?? 0) + 1);
        const i = Number(host.slice(3));
        if (MAINTENANCE_FAILS.has(i)) throw new Error('patch failed: exit 1603');
        if (i === MAINTENANCE_HANGS) {
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('killed')), { once: true }));
        }
        rebootHost(farm.state(), host, i === STAYS_DOWN ? 20 * MINUTE : (30 + (i % 4) * 15) * 1000, Date.now());
      },
    };
    let report: Awaited<ReturnType<typeof rollout>>;
    try {
      report = await time.run(rollout(options));
    } finally {
      time.restore();
    }

    // Every host ends done or failed as it should.
    const failed = new Set([...MAINTENANCE_FAILS, MAINTENANCE_HANGS, STAYS_DOWN].map(name));
    for (const h of report.hosts) assert.equal(h.status, failed.has(h.host) ? 'failed' : 'done', `${h.host}: ${h.reason}`);
    assert.match(report.hosts.find((h) => h.host === name(10))?.reason ?? '', /patch failed: exit 1603; logons allowed again \(--on-failure restore\)/);
    assert.match(report.hosts.find((h) => h.host === name(50))?.reason ?? '', /did not finish within 10m/);
    assert.match(report.hosts.find((h) => h.host === name(33))?.reason ?? '', /did not answer within 5m/);
    assert.equal(report.stopped, null);
    assert.equal(rolloutExitCode(report), 1);
    // Each host was maintained exactly once.
    assert.deepEqual([...maintained.values()].filter((n) => n !== 1), []);
    assert.equal(maintained.size, 60);

    // Hosts blocked before the run were left as they were; every other host accepts logons again, except the
    // one still down when its restore was tried.
    const state = farm.state();
    for (const i of PRE_BLOCKED) assert.equal(state.hosts[name(i)]?.logons, 'drain');
    const blocked = servers.filter((h) => (state.hosts[h]?.logons ?? 'enabled') !== 'enabled');
    assert.deepEqual(blocked, [name(7), name(23), name(33)]);
    assert.deepEqual(report.logonsBlocked, [name(33)]);

    // The budget, from the event log: out of service from a host's first change until its logons are allowed
    // again (hosts blocked before the run are out from the start, and stay out).
    const out = new Set([...PRE_BLOCKED].map(name));
    let peak = out.size;
    for (const e of audit) {
      if (e.action === 'allow-logons' && e.result === 'done') out.delete(e.host);
      else out.add(e.host);
      peak = Math.max(peak, out.size);
      assert.ok(60 - out.size >= 50, `fewer than 50 hosts serving after ${JSON.stringify(e)}`);
    }
    assert.ok(peak <= 6, `peak ${peak} out of service (event log)`);
    assert.ok(peakFarmOut <= 6, `peak ${peakFarmOut} out of service (farm)`);
    assert.ok(peak >= 5, `the waves used the budget (peak ${peak})`);

    // Waves: the canary alone, then each wave only after the previous one ended.
    assert.deepEqual(report.waves[0]?.length, 1);
    const waveOf = new Map(report.waves.flatMap((w, i) => w.map((h) => [h, i + 1] as const)));
    let current = 0;
    const open = new Set<string>();
    for (const e of events) {
      if (e.event === 'wave-started') {
        assert.equal(open.size, 0, `wave ${e.wave} started while ${[...open].join(', ')} were in flight`);
        current = e.wave ?? -1;
        for (const h of report.waves[current - 1] ?? []) open.add(h);
      }
      if (e.event === 'host-done' || e.event === 'host-failed') {
        assert.equal(waveOf.get(e.host ?? ''), current);
        open.delete(e.host ?? '');
      }
    }
    assert.equal(events[0]?.event, 'rollout-started');
    assert.equal(events.at(-1)?.event, 'rollout-finished');

    // Users who stayed were warned at the first warning and at each mark; the ones who left, once.
    for (let i = 1; i <= 60; i += 3) {
      const texts = state.hosts[name(i)]?.messages.map((m) => m.text.replace(/at \d\d:\d\d/u, 'at HH:MM')) ?? [];
      assert.deepEqual(texts, [10, 5, 1].map((m) => `${name(i)}: logoff at HH:MM, in ${m} min`), name(i));
      const times = state.hosts[name(i)]?.messages.map((m) => m.time) ?? [];
      assert.ok(times[1]! - times[0]! >= 5 * MINUTE && times[1]! - times[0]! < 5 * MINUTE + 10_000, `${name(i)}: the 5-minute mark`);
    }
    for (let i = 2; i <= 60; i += 3) assert.equal(state.hosts[name(i)]?.messages.length, 1, name(i));
  });
});
