import type { LogonMode } from '../../run/transport.js';
import type { SessionRecord } from '../../types.js';
import { blockLogons, partition, verifyEmpty, waitForLeave } from '../drain-steps.js';
import { queryHost } from '../query.js';
import type { HostScope } from '../scope.js';
import { logoffSession, messageSession, stillThere } from '../steps.js';
import { renderWarning } from './messages.js';

export interface DrainPhaseInput {
  /** null: --block-logons none. */
  mode: LogonMode | null;
  graceMs: number;
  pollMs: number;
  verifyTimeoutMs: number;
  /** Warning marks (ms before the deadline), latest first. */
  marks: readonly number[];
  template: string | undefined;
  /** A resumed host keeps the deadline its users were given. */
  deadline: number | null;
  /** A resumed host whose users already had their first warning. */
  warned: boolean;
}

/** Persistence points: each is awaited before the change it announces. */
export interface DrainPhaseHooks {
  beforeBlock(): Promise<void>;
  afterBlock(): Promise<void>;
  beforeWarn(deadline: number, sessions: readonly SessionRecord[]): Promise<void>;
}

export type DrainPhaseResult = { ok: true } | { ok: false; interrupted: boolean; reason: string };

const INTERRUPTED: DrainPhaseResult = { ok: false, interrupted: true, reason: 'the run was interrupted' };
const active = (sessions: readonly SessionRecord[]): SessionRecord[] => sessions.filter((s) => s.state === 'Active');

/**
 * One host drained the way `drain` does it, from drain's own steps (block logons, list, warn, wait, log off,
 * verify), with two additions for rollouts: warnings at fixed marks before the deadline (`--warn-at`) with a
 * templated text, and a deadline that survives a resume. Returns ok when the host is verified empty.
 */
export async function drainPhase(scope: HostScope, input: DrainPhaseInput, hooks: DrainPhaseHooks): Promise<DrainPhaseResult> {
  const { ctx, host } = scope;
  const failed = (reason: string): DrainPhaseResult => (ctx.signal?.aborted ? INTERRUPTED : { ok: false, interrupted: false, reason });
  if (input.mode !== null) {
    await hooks.beforeBlock();
    const blocked = await blockLogons(scope, input.mode, false);
    if (blocked !== null) return failed(blocked);
    await hooks.afterBlock();
  }
  const listed = await queryHost(ctx, host, 'quser');
  if (!listed.ok) {
    scope.fail(listed.failure);
    return failed(listed.failure.message);
  }
  let current = listed.sessions;
  const { targets } = partition(listed.sessions);
  const graceLeft = input.deadline !== null ? input.deadline - ctx.now().getTime() : input.graceMs;
  if (targets.length > 0 && graceLeft > 0) {
    const deadline = input.deadline ?? ctx.now().getTime() + input.graceMs;
    const warn = async (sessions: readonly SessionRecord[]): Promise<void> => {
      const to = active(sessions);
      if (to.length === 0) return;
      await hooks.beforeWarn(deadline, to);
      for (const s of to) if (!ctx.signal?.aborted) await messageSession(scope, s, renderWarning(input.template, host.name, new Date(deadline), ctx.now()));
    };
    let left: SessionRecord[] = targets;
    if (!input.warned) await warn(left);
    for (const mark of input.marks) {
      const at = deadline - mark;
      if (left.length === 0 || ctx.now().getTime() >= at) continue;
      if (!(await waitForLeave(scope, left, at, input.pollMs, undefined, async () => undefined))) return INTERRUPTED;
      // Back before the mark: everyone left. At the mark: who is still there gets this warning.
      if (ctx.now().getTime() < at) left = [];
      const seen = left.length > 0 ? await queryHost(ctx, host, 'quser') : null;
      if (seen?.ok) left = left.filter((s) => stillThere(seen.sessions, s));
      await warn(left);
    }
    if (left.length > 0 && !(await waitForLeave(scope, left, deadline, input.pollMs, undefined, async () => undefined))) return INTERRUPTED;
    // Log off whoever is there now (reconnections and newcomers included), never protected sessions.
    const now = await queryHost(ctx, host, 'quser');
    if (!now.ok) {
      scope.fail(now.failure);
      return failed(now.failure.message);
    }
    current = now.sessions;
  }
  return logoffAndVerify(scope, current, input);
}

async function logoffAndVerify(scope: HostScope, current: readonly SessionRecord[], input: DrainPhaseInput): Promise<DrainPhaseResult> {
  const { ctx } = scope;
  const final = partition(current);
  for (const p of final.protectedOnes) scope.act({ sessionId: p.session.id, username: p.session.username, action: 'logoff', status: 'refused', reason: p.reason });
  for (let i = 0; i < final.targets.length; i++) {
    if (ctx.signal?.aborted) {
      for (const s of final.targets.slice(i)) scope.act({ sessionId: s.id, username: s.username, action: 'logoff', status: 'skipped', reason: 'not logged off: the run was interrupted' });
      return INTERRUPTED;
    }
    await logoffSession(scope, final.targets[i] as SessionRecord);
  }
  const verified = await verifyEmpty(scope, input.verifyTimeoutMs, input.pollMs);
  if ('interrupted' in verified) return INTERRUPTED;
  if (verified.empty) {
    scope.act({ sessionId: null, username: null, action: 'verify', status: 'done', reason: 'no user session left' });
    return { ok: true };
  }
  scope.act({ sessionId: null, username: null, action: 'verify', status: 'failed', reason: verified.reason });
  return { ok: false, interrupted: false, reason: verified.reason };
}
