import { ValidationError } from '../errors.js';
import type { SessionRecord } from '../types.js';
import { assertMessageText, assertMilliseconds, assertWarningWait } from '../validate.js';
import { DEFAULT_LATE_NOTICE_MS, sessionKey } from './grace.js';
import type { HostScope } from './scope.js';
import { normalizeHosts } from './hosts.js';
import { querySessions } from './query.js';
import { collect, runHosts } from './run.js';
import { assertSelection, selectTargets } from './select.js';
import { plannedAction, restrictToPlan, unplannedHost } from './plan.js';
import { logoffSession, messageSession, pause, sameUser } from './steps.js';
import type { ActionReport, LogoffOptions } from './types.js';

/**
 * Logs off the selected sessions on every host, each by its explicit id after a fresh query. With
 * `message` (which needs `graceMs`, 0 included, given explicitly), every targeted Active session is
 * warned first (disconnected users cannot see it: `skipped`; an Active session whose warning failed is
 * not logged off: its logoff is `skipped`),
 * the host waits `graceMs` once (only if a message was delivered: nobody to wait for otherwise), re-queries,
 * and leaves alone any id that now belongs to someone else. A target Active after the grace that was never
 * warned (it reconnected) is warned then and logged off `lateNoticeMs` (default 1 min) after it.
 * Validation (hosts, targets, message) happens before anything runs; no target at all is a ValidationError.
 * `dryRun` returns `planned` actions and makes no call that changes anything; passed back as `plan` once the
 * operator confirmed it, that report restricts the real run to exactly those sessions (plan.ts).
 * @example
 * const report = await logoff({ servers: ['rds01'], transport, user: 'j*', states: ['Disconnected'] });
 * process.exitCode = exitCodeFor(report);
 */
export async function logoff(options: LogoffOptions): Promise<ActionReport> {
  const text = options.message === undefined ? undefined : assertMessageText(options.message, 'message');
  assertSelection(options);
  assertMilliseconds(options.graceMs, 'graceMs');
  assertWarningWait(options.message, options.graceMs);
  assertMilliseconds(options.lateNoticeMs, 'lateNoticeMs');
  if (options.lateNoticeMs !== undefined && options.message === undefined) {
    throw new ValidationError('lateNoticeMs', String(options.lateNoticeMs), 'invalid lateNoticeMs: it is the wait after a late warning; pass message (and graceMs) too');
  }
  normalizeHosts(options.servers);
  const run = await runHosts(options, (scope) => logoffHost(scope, options, text));
  return collect(run);
}

async function logoffHost(scope: HostScope, options: LogoffOptions, text: string | undefined): Promise<void> {
  const { ctx, host } = scope;
  if (unplannedHost(scope, options.plan) !== null) return;
  const withIdle = options.idleOverMinutes !== undefined;
  const first = await querySessions(ctx, host, withIdle);
  if (!first.ok) {
    scope.fail(first.failure);
    return;
  }
  const selected = selectTargets(first.sessions, options);
  for (const r of selected.rejected) scope.act({ ...r, action: 'logoff' });
  const chosen = options.plan ? restrictToPlan(scope, selected, first, options.plan, text !== undefined) : selected.targets;
  const active = chosen.filter((s) => s.state === 'Active');
  // With a confirmed plan the operator saw this already, before saying yes: it is not repeated after.
  if (text === undefined && active.length > 0 && !options.plan) {
    ctx.warn(`${host.name}: ${active.length} Active session(s) (${active.map((s) => s.username ?? s.id).join(', ')}) will be logged off without warning and will lose unsaved work; use --message and --grace to warn them first`);
  }
  if (options.dryRun) {
    for (const s of chosen) {
      if (text !== undefined) scope.act(s.state === 'Active' ? plannedAction(s, 'message') : skippedMessage(s));
      scope.act(plannedAction(s, 'logoff'));
    }
    return;
  }
  let targets = chosen;
  if (text !== undefined) {
    let warned = 0;
    const unwarned = new Set<SessionRecord>();
    for (const s of targets) {
      if (ctx.signal?.aborted) {
        // Nothing done goes unreported: a warning the interrupt kept from going out is said so.
        if (s.state === 'Active') scope.act(entry(s, 'message', 'skipped', 'not sent: the run was interrupted'));
        continue;
      }
      if (s.state !== 'Active') {
        scope.act(skippedMessage(s));
        continue;
      }
      const sent = await messageSession(scope, s, text);
      if (sent.status === 'done') warned++;
      else if (sent.status === 'failed') unwarned.add(s);
    }
    // The operator asked for a warning first: an Active user whose warning failed is not logged off
    // without it (they would lose unsaved work with no notice). The failed message already makes exit 1.
    for (const s of unwarned) scope.act(entry(s, 'logoff', 'skipped', 'not logged off: the warning could not be delivered'));
    targets = targets.filter((s) => !unwarned.has(s));
    if (warned > 0 && (options.graceMs ?? 0) > 0) {
      if (!(await pause(scope, options.graceMs ?? 0))) return interruptedBefore(scope, targets);
      const warnedKeys = new Set(targets.filter((s) => s.state === 'Active').map(sessionKey));
      const settled = await afterGrace(scope, targets, warnedKeys, text, options.lateNoticeMs ?? DEFAULT_LATE_NOTICE_MS, withIdle);
      if (settled === null) return;
      targets = settled;
    }
  }
  for (let i = 0; i < targets.length; i++) {
    if (ctx.signal?.aborted) return interruptedBefore(scope, targets.slice(i));
    await logoffSession(scope, targets[i] as SessionRecord);
  }
}

/**
 * After the grace: re-checks the targets until none is Active now without having been warned (it reconnected
 * during the grace). Those get the warning and `lateNoticeMs` before the next re-check; one whose warning
 * failed is not logged off. Returns the sessions to log off as the last re-check saw them, or null when
 * interrupted (what was not done is reported). Ends: each session is warned late at most once.
 */
async function afterGrace(scope: HostScope, targets: SessionRecord[], warned: Set<string>, text: string, lateNoticeMs: number, withIdle: boolean): Promise<SessionRecord[] | null> {
  for (;;) {
    const current = await recheck(scope, targets, withIdle);
    const late = current.filter((s) => s.state === 'Active' && !warned.has(sessionKey(s)));
    if (late.length === 0) return current;
    const failed = new Set<SessionRecord>();
    for (const s of late) {
      if (scope.ctx.signal?.aborted) {
        scope.act(entry(s, 'message', 'skipped', 'not sent: the run was interrupted'));
        continue;
      }
      warned.add(sessionKey(s));
      if ((await messageSession(scope, s, text)).status !== 'failed') continue;
      failed.add(s);
      scope.act(entry(s, 'logoff', 'skipped', 'not logged off: the warning could not be delivered'));
    }
    targets = current.filter((s) => !failed.has(s));
    if (scope.ctx.signal?.aborted || !(await pause(scope, lateNoticeMs))) {
      interruptedBefore(scope, targets);
      return null;
    }
  }
}

/** After a wait ids may have been reused: keep only sessions still held by the same user, as they are now. */
async function recheck(scope: HostScope, targets: SessionRecord[], withIdle: boolean): Promise<SessionRecord[]> {
  const now = await querySessions(scope.ctx, scope.host, withIdle);
  if (!now.ok) {
    scope.fail(now.failure);
    for (const s of targets) scope.act(entry(s, 'logoff', 'failed', `not logged off: the host could not be re-checked after the grace period (${now.failure.message})`), false);
    return [];
  }
  return targets.flatMap((s) => {
    const current = now.sessions.find((c) => c.id === s.id);
    // Its state now: a session that reconnected must be seen as Active to be warned.
    if (current && sameUser(current.username, s.username)) return [current];
    const reason = current ? `session ${s.id} now belongs to ${current.username ?? 'nobody'}: left alone` : 'the session ended during the grace period';
    scope.act(entry(s, 'logoff', 'already-gone', reason), false);
    return [];
  });
}

function interruptedBefore(scope: HostScope, targets: readonly SessionRecord[]): void {
  for (const s of targets) scope.act(entry(s, 'logoff', 'skipped', 'not logged off: the run was interrupted'));
}

function skippedMessage(s: SessionRecord): ReturnType<typeof entry> {
  return entry(s, 'message', 'skipped', `session is ${s.state}: a message cannot reach it`);
}

function entry(s: SessionRecord, action: 'message' | 'logoff', status: 'skipped' | 'failed' | 'already-gone', reason: string | null) {
  return { sessionId: s.id, username: s.username, action, status, reason } as const;
}
