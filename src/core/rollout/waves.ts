import type { RunContext } from '../context.js';
import { HostScope } from '../scope.js';
import type { HostTarget } from '../hosts.js';
import { budgetOf, pickWave } from './budget.js';
import { runHostCycle, type CycleDeps } from './host-cycle.js';
import type { RolloutStateDoc } from './state-file.js';
import { isOut } from './survey.js';
import type { RolloutHostState, RolloutStop } from './types.js';

export interface WaveRun {
  ctx: RunContext;
  doc: RolloutStateDoc;
  targets: ReadonlyMap<string, HostTarget>;
  scopes: Map<string, HostScope>;
  /** Per-host cycle dependencies (save() persists that host's change). */
  cycleDeps(h: RolloutHostState): CycleDeps;
  stopAfterMs: number | undefined;
  /** Set by a failed state write: nothing new may start without a record of it. */
  stateError(): string | null;
  onWave(wave: number, hosts: readonly string[]): Promise<void>;
}

function shown(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}

/**
 * The failure rules, shared with the dry run (`would`: its wording): a failed canary (when it ran in this
 * run, `waves[0]`), or more failed hosts than --max-failed, stop the rollout. Null when neither holds.
 */
export function failureStop(hosts: readonly RolloutHostState[], waves: readonly string[][], maxFailed: number, canaryRanHere: boolean, would = false): RolloutStop | null {
  const byName = new Map(hosts.map((h) => [h.host, h]));
  const none = would ? 'no further wave would start' : 'no further wave started';
  const canaryFailed = canaryRanHere ? (waves[0] ?? []).filter((name) => byName.get(name)?.status === 'failed') : [];
  if (canaryFailed.length > 0) return { reason: 'canary', message: `the canary ${would ? 'would fail' : 'failed'} (${canaryFailed.join(', ')}): ${none}` };
  const failed = hosts.filter((h) => h.status === 'failed').length;
  if (failed > maxFailed) return { reason: 'max-failed', message: `${failed} host(s) ${would ? 'would fail' : 'failed'}, more than --max-failed ${maxFailed}: ${none}` };
  return null;
}

/** Why no further wave may start now, or null. Checked before every wave. */
function stopReason(run: WaveRun, started: number, canaryRanHere: boolean): RolloutStop | null {
  const { doc, ctx } = run;
  if (ctx.signal?.aborted) return { reason: 'interrupted', message: 'interrupted: no further wave started' };
  const stateError = run.stateError();
  if (stateError) return { reason: 'interrupted', message: `the state file cannot be written (${stateError}): no further wave started` };
  const failed = failureStop(doc.hosts, doc.waves, doc.options.maxFailed, canaryRanHere);
  if (failed) return failed;
  if (run.stopAfterMs !== undefined && ctx.now().getTime() - started >= run.stopAfterMs) {
    return { reason: 'stop-after', message: `--stop-after ${shown(run.stopAfterMs)} reached: no further wave started; continue with rollout --resume` };
  }
  return null;
}

async function runWave(run: WaveRun, hosts: RolloutHostState[]): Promise<void> {
  await Promise.all(
    hosts.map((h) => {
      let scope = run.scopes.get(h.host);
      if (!scope) {
        scope = new HostScope(run.ctx, run.targets.get(h.host) ?? { name: h.host, address: h.host });
        run.scopes.set(h.host, scope);
      }
      return runHostCycle(scope, h, run.cycleDeps(h));
    }),
  );
}

/**
 * The wave loop. Hosts a previous run left in flight (kill -9, an interrupt) go first: they are out of
 * service already. Then waves in plan order: the canary alone, then as many hosts as the budget allows
 * (max-unavailable, min-serving, counting hosts already out of service), each wave only once the previous
 * one has finished. Returns why it stopped early, or null when no host is left pending.
 */
export async function runWaves(run: WaveRun): Promise<RolloutStop | null> {
  const { doc } = run;
  const plan = doc.options;
  const started = run.ctx.now().getTime();
  const leftInFlight = doc.hosts.filter((h) => h.status === 'running' || h.status === 'interrupted');
  if (leftInFlight.length > 0 && !run.ctx.signal?.aborted) {
    const wave = leftInFlight[0]?.wave ?? doc.waves.length;
    await run.onWave(wave, leftInFlight.map((h) => h.host));
    await runWave(run, leftInFlight);
  }
  let canaryRanHere = false;
  for (;;) {
    const stop = stopReason(run, started, canaryRanHere);
    if (stop) return doc.hosts.some((h) => h.status === 'pending') || stop.reason === 'interrupted' ? stop : null;
    const pending = doc.hosts.filter((h) => h.status === 'pending');
    if (pending.length === 0) return null;
    const outHosts = doc.hosts.filter(isOut);
    const budget = budgetOf(doc.hosts.length, plan.maxUnavailable, plan.minServing);
    const isCanary = plan.canary > 0 && doc.waves.length === 0;
    const cap = isCanary ? Math.min(plan.canary, plan.maxUnavailable) : plan.maxUnavailable;
    const names = pickWave(pending.map((h) => h.host), new Set(outHosts.map((h) => h.host)), outHosts.length, budget, cap);
    if (names.length === 0) {
      return {
        reason: 'budget',
        message: `${outHosts.length} host(s) are out of service (blocked before the rollout, or left blocked by a failure): with --max-unavailable ${plan.maxUnavailable} and --min-serving ${plan.minServing} of ${doc.hosts.length} hosts no further wave can start`,
      };
    }
    canaryRanHere ||= isCanary;
    doc.waves.push(names);
    const wave = doc.waves.length;
    const members = names.map((name) => doc.hosts.find((h) => h.host === name) as RolloutHostState);
    for (const h of members) {
      h.wave = wave;
      h.status = 'running';
    }
    await run.onWave(wave, names);
    await runWave(run, members);
  }
}
