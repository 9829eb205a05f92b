import type { SimSession } from './farm.js';
import { findHost, type FarmState, type SimHostState } from './state.js';

/** Sessions every host has after a boot: services, console, listeners; no user session survives a restart. */
function bootSessions(sessions: readonly SimSession[]): SimSession[] {
  return sessions.filter((s) => s.user === null).map((s) => ({ ...s }));
}

/**
 * Restarts a simulated host: it is unreachable (RPC unavailable, as a host that is down) for `durationMs`,
 * every user session is gone, and `drain-until-restart` is over (logons enabled); `drain` and `disabled` are
 * registry settings and survive, as on Windows. Returns false when the farm has no such host.
 * @example rebootHost(state, 'rdsh01', 30_000, Date.now())
 */
export function rebootHost(state: FarmState, name: string, durationMs: number, now: number): boolean {
  const found = findHost(state, name);
  if (!found) return false;
  const { host } = found;
  host.sessions = bootSessions(host.sessions);
  if (host.logons === 'drain-until-restart') host.logons = 'enabled';
  host.rebootingUntil = now + Math.max(0, durationMs);
  host.reboots = (host.reboots ?? 0) + 1;
  return true;
}

/** True while the host is down; clears the mark once it is back. */
export function isRebooting(host: SimHostState, now: number): boolean {
  if (host.rebootingUntil === undefined) return false;
  if (now < host.rebootingUntil) return true;
  delete host.rebootingUntil;
  return false;
}
