import { ValidationError } from '../../errors.js';
import { createContext, type RunContext } from '../context.js';
import { normalizeHosts, type HostTarget } from '../hosts.js';
import type { HostScope } from '../scope.js';
import { planDryRun } from './dry-run.js';
import { cancelWarnings } from './finish.js';
import type { CycleDeps } from './host-cycle.js';
import { assertCount, resolvePlanOptions } from './plan-options.js';
import { createStateWriter, readStateFile, STATE_KIND, STATE_VERSION, type RolloutStateDoc } from './state-file.js';
import { surveyHosts } from './survey.js';
import type { RolloutEvent, RolloutHostState, RolloutOptions, RolloutReport, RolloutStop } from './types.js';
import { runWaves } from './waves.js';

/**
 * Rolling maintenance of a farm without an outage. Hosts go in waves (the canary first, then at most
 * `maxUnavailable` out of service at once, never fewer than `minServing` accepting logons); each host is
 * drained as `drain` does it, maintained once by `maintain(host, signal)`, waited for until it answers
 * again, and given back its logons (verified). With `stateFile` every phase is saved before and after each
 * change, so `resumeFrom` continues it in another job or after a crash.
 * @example
 * const report = await rollout({ transport, servers, maxUnavailable: '10%', graceMs: 900_000,
 *   maintain: async (host, signal) => { await patch(host, { signal }); } });
 * process.exitCode = report.interrupted ? 130 : rolloutExitCode(report);
 */
export async function rollout(options: RolloutOptions): Promise<RolloutReport> {
  const ctx = createContext(options);
  const { doc, targets } = await loadOrPlan(options, ctx);
  if (options.dryRun) return planDryRun(ctx, doc, targets);
  // Stopped while the hosts were being read: nothing changed, and no half-read plan is saved to resume from.
  if (ctx.signal?.aborted && options.resumeFrom === undefined) {
    const stop: RolloutStop = { reason: 'interrupted', message: 'interrupted while reading the hosts: nothing was changed' };
    return buildReport(doc, [], true, stop);
  }
  const stateFile = options.stateFile ?? options.resumeFrom;
  const writer = stateFile === undefined ? null : createStateWriter(stateFile, () => doc);
  let stateError: string | null = null;
  // A listener's bug (a throw, or a rejected promise) must never stop a rollout half-way nor end the process:
  // guarded like every library callback, and reported once (core/callbacks.ts).
  const onHostPhase = ctx.guard('onHostPhase', options.onHostPhase);
  const onRolloutEvent = ctx.guard('onRolloutEvent', options.onRolloutEvent);
  const save = async (h?: RolloutHostState): Promise<void> => {
    if (h) onHostPhase(h);
    if (!writer) return;
    try {
      await writer.save();
    } catch (error) {
      stateError ??= error instanceof Error ? error.message : String(error);
      throw new Error(`cannot write the state file ${JSON.stringify(stateFile)}: ${stateError}`);
    }
  };
  const emit = (event: Omit<RolloutEvent, 'time'>): void => {
    const { event: name, ...rest } = event;
    onRolloutEvent({ event: name, time: ctx.now().toISOString(), ...rest });
  };
  try {
    await save();
  } catch (error) {
    throw new ValidationError('stateFile', String(stateFile), `${(error as Error).message}; nothing was done`);
  }
  emit({ event: 'rollout-started', ...(doc.runs > 1 ? { reason: `resumed (run ${doc.runs})` } : {}) });
  const scopes = new Map<string, HostScope>();
  const cycleDeps = (h: RolloutHostState): CycleDeps => ({
    ctx,
    plan: doc.options,
    maintain: options.maintain,
    rerunInterrupted: options.rerunInterrupted === true,
    save: () => save(h),
    emit,
  });
  const stop = await runWaves({
    ctx,
    doc,
    targets,
    scopes,
    cycleDeps,
    stopAfterMs: options.stopAfterMs,
    stateError: () => stateError,
    onWave: async (wave, hosts) => {
      emit({ event: 'wave-started', wave, reason: hosts.join(' ') });
      await save().catch(() => undefined);
    },
  });
  const extra = ctx.signal?.aborted ? await cancelWarnings(options, doc, targets) : [];
  doc.stopped = stop;
  await save().catch(() => undefined);
  const interrupted = ctx.signal?.aborted === true;
  emit({ event: interrupted ? 'rollout-interrupted' : 'rollout-finished', ...(stop ? { reason: stop.message } : {}) });
  return buildReport(doc, [...doc.hosts.map((h) => scopes.get(h.host)), ...extra], interrupted, stop);
}

async function loadOrPlan(options: RolloutOptions, ctx: RunContext): Promise<{ doc: RolloutStateDoc; targets: Map<string, HostTarget> }> {
  const byName = (hosts: HostTarget[]): Map<string, HostTarget> => new Map(hosts.map((t) => [t.name, t]));
  if (options.resumeFrom !== undefined) {
    const doc = await readStateFile(options.resumeFrom, 'resumeFrom');
    if (typeof options.maintain !== 'function') throw new ValidationError('maintain', String(options.maintain), 'invalid maintain: expected a function (host, signal) => Promise<void>');
    if (options.command !== undefined && doc.command !== null && JSON.stringify([...options.command]) !== JSON.stringify(doc.command)) {
      throw new ValidationError('command', options.command.join(' '), `the rollout in ${JSON.stringify(options.resumeFrom)} runs ${JSON.stringify(doc.command.join(' '))}: resume it without a command, or with that one`);
    }
    // The one plan option a resume may change: continuing after failures is the operator's call.
    if (options.maxFailed !== undefined) doc.options.maxFailed = assertCount(options.maxFailed, 'maxFailed', doc.options.maxFailed);
    doc.runs += 1;
    return { doc, targets: byName(normalizeHosts(doc.hosts.map((h) => h.host))) };
  }
  const hosts = normalizeHosts(options.servers);
  const plan = resolvePlanOptions(options, hosts.map((h) => h.name));
  const now = ctx.now().toISOString();
  const doc: RolloutStateDoc = {
    kind: STATE_KIND,
    version: STATE_VERSION,
    createdAt: now,
    updatedAt: now,
    command: options.command === undefined ? null : [...options.command],
    options: plan,
    hosts: await surveyHosts(ctx, hosts),
    waves: [],
    stopped: null,
    runs: 1,
  };
  return { doc, targets: byName(hosts) };
}

function buildReport(doc: RolloutStateDoc, scopes: readonly (HostScope | undefined)[], interrupted: boolean, stop: RolloutStop | null): RolloutReport {
  const present = scopes.filter((s): s is HostScope => s !== undefined);
  return {
    hosts: doc.hosts.map((h) => ({
      host: h.host,
      status: h.status === 'running' ? 'interrupted' : h.status,
      phase: h.phase,
      reason: h.reason ?? (h.status === 'pending' && stop ? stop.message : null),
      logons: h.logons,
    })),
    waves: doc.waves,
    actions: present.flatMap((s) => s.actions),
    errors: present.flatMap((s) => s.errors),
    interrupted,
    stopped: stop,
    logonsBlocked: doc.hosts.filter((h) => h.logons === 'blocked' && h.status !== 'done').map((h) => h.host),
  };
}
