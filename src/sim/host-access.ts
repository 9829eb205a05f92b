import type { SimLanguage } from './farm.js';
import { fail, type SimOutcome } from './outcome.js';
import { CRLF, enumerationError, win32Line } from './sim-errors.js';
import { isRebooting } from './reboot.js';
import { expireSessions, findHost, isLocal, type FarmState, type SimHostState } from './state.js';

/** A host that answered: the tool may go on. `mutated` is true when self-logoffs were applied. */
export interface Reached {
  name: string;
  host: SimHostState;
  local: boolean;
  language: SimLanguage;
  delayMs: number;
  mutated: boolean;
}

export type FailureText = (code: 5 | 1722 | 1825, language: SimLanguage | undefined) => string;

/**
 * Resolves `/server:` to a farm host and applies its faults in the order a real call meets them:
 * name resolution, transient RPC failures, then the configured fault.
 * Unverified: the text quser prints for a name that does not resolve; the simulator answers RPC unavailable at once.
 */
export function reachHost(
  state: FarmState,
  server: string | null,
  now: number,
  failureText: FailureText = enumerationError,
): Reached | SimOutcome {
  const found = findHost(state, server);
  if (!found) return fail(failureText(1722, undefined));
  const { name, host } = found;
  host.calls += 1;
  const delayMs = host.latencyMs ?? 0;
  const language = host.language ?? 'en';
  if (host.transientFailures !== undefined && host.calls <= host.transientFailures) {
    return fail(failureText(1722, language), delayMs);
  }
  // A restarting host is down: the RPC server is unavailable, as for any host that does not answer.
  if (isRebooting(host, now)) return fail(failureText(1722, language), delayMs, true);
  const faulted = faultOutcome(host, failureText);
  if (faulted) return faulted;
  const mutated = expireSessions(host, now);
  return { name, host, local: isLocal(state, server), language, delayMs, mutated };
}

/** The host's configured fault, once active, as the outcome a caller meets; null when it answers. */
function faultOutcome(host: SimHostState, failureText: FailureText): SimOutcome | null {
  const delayMs = host.latencyMs ?? 0;
  const language = host.language ?? 'en';
  const faultActive = host.fault && (host.faultAfterCalls === undefined || host.calls > host.faultAfterCalls);
  if (!faultActive) return null;
  switch (host.fault) {
    case 'hang':
      return { exitCode: 1, stdout: '', stderr: '', delayMs, hang: true, mutated: false };
    case 'access-denied':
      return fail(failureText(5, language), delayMs);
    case 'security-package':
      return fail(failureText(1825, language), delayMs);
    case 'unknown-host':
      return fail(failureText(1722, undefined));
    default:
      return fail(failureText(1722, language), delayMs);
  }
}

/**
 * Opening a remoting session (Invoke-Command) to `server` before a local-only program runs there: the name
 * must resolve and the host's fault applies, so blocking logons on a dead, denying or unknown host fails as
 * every other call to it does. It is not a counted call: transientFailures model the tools' RPC path.
 * Returns null when the session opens. Unverified: WinRM's own error texts; the tools' Win32 lines stand in.
 */
export function connectRemote(state: FarmState, server: string, now: number = Date.now()): SimOutcome | null {
  const found = findHost(state, server);
  if (!found) return fail(win32Line(1722) + CRLF);
  if (isRebooting(found.host, now)) return fail(win32Line(1722, found.host.language) + CRLF);
  return faultOutcome(found.host, (code, language) => win32Line(code, language) + CRLF);
}

export function isReached(value: Reached | SimOutcome): value is Reached {
  return 'host' in value;
}
