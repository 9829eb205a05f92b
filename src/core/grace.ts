import type { SessionRecord } from '../types.js';
import { partition } from './drain-steps.js';
import { queryHost } from './query.js';
import type { HostScope } from './scope.js';
import { logoffSession, messageSession, pause } from './steps.js';

/** `lateNoticeMs` when not given (drain and logoff): the least time between a late warning and that logoff. */
export const DEFAULT_LATE_NOTICE_MS = 60_000;

export interface GracePlan {
  graceMs: number;
  /** The least time between a late warning (a user seen Active who was never warned) and that user's logoff. */
  lateNoticeMs: number;
  pollMs: number;
  remindEveryMs: number | undefined;
  /** Warnings again at these times (ms) before each warned user's own deadline, to whoever is Active then (rollout's marks). */
  marks?: readonly number[];
  /** Users warned before (a resumed run): each keeps the deadline they were told and is warned again only at the marks. */
  warned?: readonly WarnedUser[];
  /** Awaited before each first or late warning goes out, with the deadline it will name (a rollout records it first). */
  beforeWarn?: (session: SessionRecord, deadline: number) => Promise<void>;
  /** The warning for a user whose logoff comes at `deadline`, sent at `now`. */
  text: (deadline: Date, now: Date) => string;
  /** Each step as it starts (progress): user sessions left as last seen, and while waiting when the last is due. */
  phase?: (step: 'warning' | 'waiting' | 'logging-off', sessionsLeft: number, until: number | null) => void;
}

/** A user who was told a deadline (ms since the epoch). */
export interface WarnedUser {
  id: number;
  username: string | null;
  deadline: number;
}

export type GraceOutcome = { status: 'done' } | { status: 'interrupted'; left: SessionRecord[] } | { status: 'failed'; reason: string };

/** A session is the same one only with the same id AND the same user: ids are reused. */
export const sessionKey = (s: Pick<SessionRecord, 'id' | 'username'>): string => `${s.id}\u0000${(s.username ?? '').toLowerCase()}`;

/**
 * Drain steps 3 to 5 with a grace period: warn, wait, log off, every user on their own deadline. Each warned
 * user's deadline is fixed when their own warning goes out (named in its text) and their logoff comes no
 * earlier than `graceMs` after that warning returned, so the last users warned on a slow host lose nothing;
 * users nobody could warn (disconnected) go when the last of these first deadlines has passed. Every poll
 * re-reads the host: a user Active now who was never warned (reconnected, or new) is warned at once and
 * gets at least `lateNoticeMs`, never less than the grace; reminders go to whoever is Active now. A listing
 * with nobody to warn is followed at once by the logoff of every session whose deadline has passed (each
 * attempted once; the verify step reports any left) and refusals of protected sessions. Unknowable: a user
 * who reconnects between that listing and the logoff, a few seconds, is logged off without a late warning.
 * A rollout adds `marks` (each warned user is warned again that long before their own deadline, if Active
 * then), `warned` (a resumed host's users keep the deadlines they were told) and `beforeWarn` (recorded first).
 */
export async function warnWaitLogoff(scope: HostScope, targets: readonly SessionRecord[], start: number, plan: GracePlan): Promise<GraceOutcome> {
  const { ctx, host } = scope;
  let graceEnd = start + plan.graceMs;
  // marks: when this user is warned again (ascending), counted back from the deadline they were told.
  const deadlines = new Map<string, { told: number; notBefore: number; marks: number[] }>();
  const handled = new Set<string>();
  const notBefore = (s: SessionRecord): number => deadlines.get(sessionKey(s))?.notBefore ?? graceEnd;
  const nextMark = (s: SessionRecord): number => deadlines.get(sessionKey(s))?.marks[0] ?? Number.POSITIVE_INFINITY;
  const nowMs = (): number => ctx.now().getTime();
  const marksBefore = (told: number, after: number): number[] => [...new Set(plan.marks ?? [])].map((m) => told - m).filter((t) => t > after).sort((a, b) => a - b);
  for (const w of plan.warned ?? []) deadlines.set(sessionKey(w), { told: w.deadline, notBefore: w.deadline, marks: marksBefore(w.deadline, nowMs()) });

  const warn = async (s: SessionRecord, noticeMs: number): Promise<void> => {
    const sentAt = nowMs();
    const told = Math.max(graceEnd, sentAt + noticeMs);
    await plan.beforeWarn?.(s, told);
    await messageSession(scope, s, plan.text(new Date(told), new Date(sentAt)));
    // Counted from when msg returned: a slow call never shortens the notice. A failed warning still counts
    // (a drain empties the host regardless), or a host whose msg always fails would be warned forever.
    deadlines.set(sessionKey(s), { told, notBefore: Math.max(told, nowMs() + noticeMs), marks: marksBefore(told, nowMs()) });
  };
  const remind = async (s: SessionRecord): Promise<void> => {
    const deadline = deadlines.get(sessionKey(s));
    if (deadline) await messageSession(scope, s, plan.text(new Date(deadline.told), ctx.now()));
  };
  let loggingOff = false;
  const interrupted = (present: readonly SessionRecord[]): GraceOutcome => {
    if (!loggingOff) return { status: 'interrupted', left: [] };
    // Once logoffs began, every session the drain meant to log off is in the report, also those it never reached.
    for (const s of present) scope.act({ sessionId: s.id, username: s.username, action: 'logoff', status: 'skipped', reason: 'not logged off: the run was interrupted' });
    return { status: 'interrupted', left: [...present] };
  };
  const refuse = (protectedOnes: ReturnType<typeof partition>['protectedOnes']): void => {
    for (const p of protectedOnes) {
      if (handled.has(sessionKey(p.session))) continue;
      handled.add(sessionKey(p.session));
      scope.act({ sessionId: p.session.id, username: p.session.username, action: 'logoff', status: 'refused', reason: p.reason });
    }
  };

  plan.phase?.('warning', targets.length, null);
  for (const s of targets.filter((t) => t.state === 'Active' && !deadlines.has(sessionKey(t)))) {
    if (ctx.signal?.aborted) return interrupted([]);
    await warn(s, plan.graceMs);
  }
  // The grace of the host ends with the last first warning's: the users nobody could warn go with them.
  for (const d of deadlines.values()) graceEnd = Math.max(graceEnd, d.notBefore);
  let present: SessionRecord[] = [...targets];
  let nextReminder = plan.remindEveryMs && plan.remindEveryMs > 0 ? nowMs() + plan.remindEveryMs : Number.POSITIVE_INFINITY;
  for (;;) {
    const now = nowMs();
    const due = (at: number): boolean => present.some((s) => notBefore(s) <= at);
    const wake = due(now) || present.some((s) => nextMark(s) <= now) ? now : Math.min(now + Math.max(1, plan.pollMs), nextReminder, ...present.map(notBefore).filter((t) => t > now), ...present.map(nextMark));
    if (wake > now) plan.phase?.('waiting', present.length, Math.max(...present.map(notBefore)));
    if (!(await pause(scope, wake - now))) return interrupted(present);
    const seen = await queryHost(ctx, host, 'quser');
    if (!seen.ok) {
      if (seen.failure.code === 'ERR_ABORTED') return interrupted(present);
      // A failed poll while nobody is due is not fatal; logging off blind is not an option.
      if (!due(nowMs())) continue;
      scope.fail(seen.failure);
      return { status: 'failed', reason: seen.failure.message };
    }
    const listed = partition(seen.sessions);
    // Users who logged off by themselves are in the report too. Only a listing read in full proves it.
    if (seen.unreadable === 0) {
      for (const s of present.filter((p) => !seen.sessions.some((c) => sessionKey(c) === sessionKey(p)))) {
        scope.act({ sessionId: s.id, username: s.username, action: 'logoff', status: 'already-gone', reason: 'left by themselves before the deadline' }, false);
      }
    }
    present = listed.targets.filter((s) => !handled.has(sessionKey(s)));
    let sent = false;
    for (const s of present.filter((p) => p.state === 'Active' && !deadlines.has(sessionKey(p)))) {
      if (ctx.signal?.aborted) return interrupted(present);
      await warn(s, plan.lateNoticeMs);
      sent = true;
    }
    const at = nowMs();
    if (at >= nextReminder) {
      for (const s of present.filter((p) => p.state === 'Active' && notBefore(p) > at)) {
        if (ctx.signal?.aborted) return interrupted(present);
        await remind(s);
        sent = true;
      }
      while (nextReminder <= at) nextReminder += plan.remindEveryMs ?? Number.POSITIVE_INFINITY;
    }
    // A mark reached: one warning (however many marks passed) if that user is Active now and not yet due.
    for (const s of present.filter((p) => nextMark(p) <= at)) {
      const marks = deadlines.get(sessionKey(s))?.marks ?? [];
      while ((marks[0] ?? Number.POSITIVE_INFINITY) <= at) marks.shift();
      if (s.state !== 'Active' || notBefore(s) <= at) continue;
      if (ctx.signal?.aborted) return interrupted(present);
      await remind(s);
      sent = true;
    }
    // Messages take time: what to log off is decided on a listing taken right before it.
    if (sent) continue;
    const toLogOff = present.filter((s) => notBefore(s) <= at);
    if (toLogOff.length === 0 && present.length > 0) continue;
    refuse(listed.protectedOnes);
    if (toLogOff.length > 0) {
      loggingOff = true;
      plan.phase?.('logging-off', present.length, null);
    }
    for (const s of toLogOff) {
      if (ctx.signal?.aborted) return interrupted(present.filter((p) => !handled.has(sessionKey(p))));
      handled.add(sessionKey(s));
      await logoffSession(scope, s);
    }
    present = present.filter((s) => !handled.has(sessionKey(s)));
    if (present.length === 0) return { status: 'done' };
  }
}
