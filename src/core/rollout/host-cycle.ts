import type { RunContext } from '../context.js';
import { logonModeFor } from '../drain-steps.js';
import { sessionKey, type WarnedUser } from '../grace.js';
import type { HostScope } from '../scope.js';
import { allowLogons, runMaintenance, waitBack } from './back.js';
import { drainPhase } from './drain-phase.js';
import { warnMarks } from './messages.js';
import type { RolloutPlanOptions } from './state-file.js';
import { isBlockedState } from './survey.js';
import type { Maintain, RolloutEvent, RolloutHostState, RolloutPhase } from './types.js';

export interface CycleDeps {
  ctx: RunContext;
  plan: RolloutPlanOptions;
  maintain: Maintain;
  rerunInterrupted: boolean;
  /** Persists the whole state (and tells the progress display); awaited before every change. */
  save(): Promise<void>;
  emit(event: Omit<RolloutEvent, 'time'>): void;
}

const BEFORE_MAINTENANCE: readonly RolloutPhase[] = ['pending', 'draining', 'drained'];

/**
 * One host's whole cycle, from wherever it stands (a resumed host goes on from its last safe point): drain
 * it, run the maintenance once, wait until it answers again, allow logons and verify. Mutates `h` and saves
 * it before and after each change. Never throws: a failure is the host's status.
 */
export async function runHostCycle(scope: HostScope, h: RolloutHostState, deps: CycleDeps): Promise<void> {
  const { ctx, plan } = deps;
  // A host blocked before the run is left as it was: neither blocked again nor allowed at the end (as kured
  // leaves a node it did not cordon).
  const mode = isBlockedState(h.initialLogons) ? null : logonModeFor(plan.blockLogons);
  const now = (): string => ctx.now().toISOString();
  const enter = async (phase: RolloutPhase): Promise<void> => {
    h.phase = phase;
    await deps.save();
  };
  try {
    h.status = 'running';
    h.reason = null;
    // Asked to run an interrupted maintenance again: re-check the host as after any interruption first.
    if (h.phase === 'maintaining' && deps.rerunInterrupted) h.phase = 'draining';
    if (BEFORE_MAINTENANCE.includes(h.phase)) {
      await enter('draining');
      const drained = await drainPhase(
        scope,
        {
          mode,
          graceMs: plan.graceMs,
          pollMs: plan.pollIntervalMs,
          verifyTimeoutMs: plan.verifyTimeoutMs,
          marks: warnMarks(plan.warnAtMs, plan.graceMs),
          template: plan.message ?? undefined,
          deadline: h.deadline === null ? null : Date.parse(h.deadline),
          warned: warnedUsers(h),
        },
        {
          beforeBlock: async () => undefined,
          afterBlock: async () => {
            h.blockedAt ??= now();
            h.logons = 'blocked';
            await deps.save();
          },
          beforeWarn: async (session, deadline) => {
            const told = new Date(deadline).toISOString();
            if (h.deadline === null || Date.parse(h.deadline) < deadline) h.deadline = told;
            h.warned = [...h.warned.filter((w) => sessionKey(w) !== sessionKey(session)), { id: session.id, username: session.username, deadline: told }];
            await deps.save();
          },
        },
      );
      if (!drained.ok) return await end(scope, h, deps, drained.interrupted ? 'interrupted' : 'failed', drained.reason);
      await enter('drained');
      deps.emit({ event: 'host-drained', host: h.host, ...(h.wave === null ? {} : { wave: h.wave }) });
    }
    if (h.phase === 'maintaining') {
      const since = h.maintenanceStartedAt ? ` at ${h.maintenanceStartedAt}` : '';
      return await end(scope, h, deps, 'failed', `outcome unknown: the maintenance started${since} and never reported (the rollout was stopped while it ran); check the host, then allow logons or resume with --rerun-interrupted to run it again`);
    }
    if (h.phase === 'drained') {
      // Saved BEFORE it starts: after a crash, a maintenance that may have run is never run again by accident.
      h.maintenanceStartedAt = now();
      await enter('maintaining');
      const failed = await runMaintenance(scope, deps.maintain, plan.maintainTimeoutMs);
      if (failed !== null) return await end(scope, h, deps, ctx.signal?.aborted ? 'interrupted' : 'failed', failed);
      await enter('waiting-back');
    }
    if (h.phase === 'waiting-back') {
      const back = await waitBack(scope, plan.waitBackMs, plan.pollIntervalMs);
      if (back !== null) return await end(scope, h, deps, ctx.signal?.aborted ? 'interrupted' : 'failed', back);
      await enter('enabling');
    }
    if (mode !== null) {
      const refused = await allowLogons(scope);
      if (refused !== null) return await end(scope, h, deps, ctx.signal?.aborted ? 'interrupted' : 'failed', refused);
      h.logons = 'allowed';
    }
    const note = mode === null && isBlockedState(h.initialLogons) ? `logons were ${h.initialLogons} before the rollout: left as they were` : null;
    return await end(scope, h, deps, 'done', note);
  } catch (error) {
    // A state file that cannot be written, or a bug: the host stops here, and says why.
    h.status = 'failed';
    h.reason = error instanceof Error ? error.message : String(error);
    deps.emit({ event: 'host-failed', host: h.host, reason: h.reason });
  }
}

/** The users a resumed host already warned, with the deadline each was told (older state files: the host's). */
function warnedUsers(h: RolloutHostState): WarnedUser[] {
  const fallback = h.deadline === null ? Number.NaN : Date.parse(h.deadline);
  return h.warned
    .map((w) => ({ id: w.id, username: w.username, deadline: w.deadline === undefined ? fallback : Date.parse(w.deadline) }))
    .filter((w) => Number.isFinite(w.deadline));
}

async function end(scope: HostScope, h: RolloutHostState, deps: CycleDeps, status: 'done' | 'failed' | 'interrupted', reason: string | null): Promise<void> {
  let why = reason;
  if (status === 'done') h.phase = 'done';
  if (status === 'failed' && h.logons === 'blocked') {
    if (deps.plan.onFailure === 'restore') {
      const refused = await allowLogons(scope);
      if (refused === null) h.logons = 'allowed';
      why = `${why ?? 'failed'}; ${refused === null ? 'logons allowed again (--on-failure restore)' : `allowing logons again failed: ${refused}`}`;
    } else {
      // No command here: the library cannot know how its caller reached the host; the CLI names one that can be pasted.
      why = `${why ?? 'failed'}; new logons stay blocked (--on-failure keep) until they are allowed again (logons enable)`;
    }
  }
  h.status = status;
  h.reason = why;
  await deps.save();
  if (status === 'done') deps.emit({ event: 'host-done', host: h.host, ...(h.wave === null ? {} : { wave: h.wave }) });
  if (status === 'failed') deps.emit({ event: 'host-failed', host: h.host, ...(h.wave === null ? {} : { wave: h.wave }), ...(why === null ? {} : { reason: why }) });
}
