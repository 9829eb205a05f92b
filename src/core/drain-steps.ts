import type { LogonMode } from '../run/transport.js';
import type { SessionRecord } from '../types.js';
import type { HostScope } from './scope.js';
import { changeLogons } from './logon-change.js';
import { queryHost } from './query.js';
import { protectionReason } from './select.js';
import { pause } from './steps.js';
import type { BlockLogonsMode } from './types.js';

export const DRAIN_DEFAULTS = {
  blockLogons: 'drain' as BlockLogonsMode,
  graceMs: 300_000,
  pollIntervalMs: 10_000,
  verifyTimeoutMs: 60_000,
};
// Sessions take a few seconds to disappear after logoff; verification polls faster than the grace wait.
const VERIFY_POLL_CAP_MS = 2_000;

export function logonModeFor(block: BlockLogonsMode): LogonMode | null {
  return block === 'drain' ? 'drain' : block === 'until-restart' ? 'drain-until-restart' : null;
}

export const BLOCK_FIX = 'blocking logons on a remote host needs PowerShell remoting: use --transport powershell, or --block-logons none to skip it';

/** Step 1, real or dry (same decision: changeLogons). Returns the reason it failed, or null. Never warns anyone: a host that cannot be blocked fails first. */
export function blockLogons(scope: HostScope, mode: LogonMode, dryRun: boolean): Promise<string | null> {
  // The core names the fix itself, whatever words the transport chose.
  return changeLogons(scope, { action: 'block-logons', mode, dryRun, unsupported: () => BLOCK_FIX });
}

/**
 * The default warning names the deadline in the orchestrating machine's local time. Unverified: host time zones may differ.
 * @example defaultDrainMessage(new Date(2026, 10, 25, 14, 5), new Date(2026, 10, 25, 13, 55)) // '… logged off at 14:05 (in 10 minutes).'
 */
export function defaultDrainMessage(deadline: Date, now: Date): string {
  // Both figures round down, so neither promises more time than the user gets: HH:MM is the minute the
  // deadline falls in, and 9 min 30 s left reads "in 9 minutes".
  const hhmm = `${String(deadline.getHours()).padStart(2, '0')}:${String(deadline.getMinutes()).padStart(2, '0')}`;
  const minutes = Math.floor((deadline.getTime() - now.getTime()) / 60_000);
  const within = minutes < 1 ? 'in less than a minute' : minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
  return `This server is going down for maintenance. Save your work: you will be logged off at ${hhmm} (${within}).`;
}

/** User sessions a drain may log off, and the ones it must leave (console, the caller's own) with why. */
export function partition(sessions: readonly SessionRecord[]): { targets: SessionRecord[]; protectedOnes: { session: SessionRecord; reason: string }[] } {
  const targets: SessionRecord[] = [];
  const protectedOnes: { session: SessionRecord; reason: string }[] = [];
  for (const session of sessions) {
    const reason = protectionReason(session, false);
    if (reason) protectedOnes.push({ session, reason: session.isCurrent ? 'this is your own session: a drain never logs it off' : reason });
    else targets.push(session);
  }
  return { targets, protectedOnes };
}

/** Step 6: re-queries until no user session is left or the timeout passes. */
export async function verifyEmpty(
  scope: HostScope,
  timeoutMs: number,
  pollMs: number,
): Promise<{ empty: true } | { empty: false; left: SessionRecord[]; reason: string } | { interrupted: true }> {
  const { ctx } = scope;
  const until = ctx.now().getTime() + timeoutMs;
  for (;;) {
    const seen = await queryHost(ctx, scope.host, 'quser');
    // A row quser printed but the parser could not read may be a user: not proof of an empty host.
    if (seen.ok && seen.sessions.length === 0 && seen.unreadable === 0) return { empty: true };
    if (ctx.signal?.aborted) return { interrupted: true };
    const now = ctx.now().getTime();
    if (now >= until) {
      if (!seen.ok) return { empty: false, left: [], reason: `could not verify: ${seen.failure.message}` };
      const names = seen.sessions.map((s) => `${s.username ?? '?'} (${s.id}${s.sessionName ? ` ${s.sessionName}` : ''})`).join(', ');
      const unread = seen.unreadable > 0 ? `${seen.sessions.length > 0 ? '; ' : ''}${seen.unreadable} row(s) of quser output could not be read` : '';
      const listed = seen.sessions.length > 0 ? `${seen.sessions.length} user session(s) left: ${names}` : '';
      return { empty: false, left: seen.sessions, reason: `${listed}${unread}` };
    }
    if (!(await pause(scope, Math.min(until - now, Math.max(1, Math.min(pollMs, VERIFY_POLL_CAP_MS)))))) return { interrupted: true };
  }
}
