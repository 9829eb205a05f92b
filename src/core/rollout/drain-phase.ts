import type { LogonMode } from '../../run/transport.js';
import type { SessionRecord } from '../../types.js';
import { blockLogons, partition, verifyEmpty } from '../drain-steps.js';
import { DEFAULT_LATE_NOTICE_MS, warnWaitLogoff, type WarnedUser } from '../grace.js';
import { queryHost } from '../query.js';
import type { HostScope } from '../scope.js';
import { logoffSession } from '../steps.js';
import { renderWarning } from './messages.js';

export interface DrainPhaseInput {
  /** null: --block-logons none. */
  mode: LogonMode | null;
  graceMs: number;
  pollMs: number;
  verifyTimeoutMs: number;
  /** Warning marks (ms before each user's own deadline). */
  marks: readonly number[];
  template: string | undefined;
  /** A resumed host: the latest deadline its users were given (its grace ends then), or null. */
  deadline: number | null;
  /** A resumed host: the users already warned, each with the deadline they were told. */
  warned: readonly WarnedUser[];
}

/** Persistence points: each is awaited before the change it announces. */
export interface DrainPhaseHooks {
  beforeBlock(): Promise<void>;
  afterBlock(): Promise<void>;
  /** Before a user's first (or late) warning: the deadline it names. */
  beforeWarn(session: SessionRecord, deadline: number): Promise<void>;
}

export type DrainPhaseResult = { ok: true } | { ok: false; interrupted: boolean; reason: string };

const INTERRUPTED: DrainPhaseResult = { ok: false, interrupted: true, reason: 'the run was interrupted' };

/**
 * One host drained the way `drain` does it, from drain's own steps (block logons, list, then the grace of
 * core/grace.ts: each user's deadline fixed by their own warning, every poll re-reading the host, late
 * warnings for users who become Active; then verify), with two additions for rollouts: warnings at marks
 * before each user's deadline (`--warn-at`) with a templated text, and deadlines that survive a resume.
 * Returns ok when the host is verified empty.
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
  const { targets } = partition(listed.sessions);
  if (targets.length === 0 || input.graceMs === 0) return logoffAndVerify(scope, listed.sessions, input);
  // A resumed host's grace still ends when its users were told; users never warned get a warning and the whole grace.
  const start = (input.deadline ?? ctx.now().getTime() + input.graceMs) - input.graceMs;
  const outcome = await warnWaitLogoff(scope, targets, start, {
    graceMs: input.graceMs,
    lateNoticeMs: DEFAULT_LATE_NOTICE_MS,
    pollMs: input.pollMs,
    remindEveryMs: undefined,
    marks: input.marks,
    warned: input.warned,
    beforeWarn: hooks.beforeWarn,
    text: (deadline, now) => renderWarning(input.template, host.name, deadline, now),
  });
  if (outcome.status === 'interrupted') return INTERRUPTED;
  if (outcome.status === 'failed') return failed(outcome.reason);
  return verify(scope, input);
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
  return verify(scope, input);
}

async function verify(scope: HostScope, input: DrainPhaseInput): Promise<DrainPhaseResult> {
  const verified = await verifyEmpty(scope, input.verifyTimeoutMs, input.pollMs);
  if ('interrupted' in verified) return INTERRUPTED;
  if (verified.empty) {
    scope.act({ sessionId: null, username: null, action: 'verify', status: 'done', reason: 'no user session left' });
    return { ok: true };
  }
  scope.act({ sessionId: null, username: null, action: 'verify', status: 'failed', reason: verified.reason });
  return { ok: false, interrupted: false, reason: verified.reason };
}
