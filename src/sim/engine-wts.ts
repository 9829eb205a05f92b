import type { SimSession, SimState } from './farm.js';
import { isReached, reachHost, type Reached } from './host-access.js';
import type { FarmState } from './state.js';

/**
 * The farm as the Remote Desktop Services API (wtsapi32) sees it: what the native test double
 * (test/doubles/native/wtsapi32.c, through test/doubles/lib/wts-bridge.js) answers. Same hosts, faults,
 * latency and mutations as the text tools, so `--source wts` and `--source text` read one farm.
 *
 * Times: the farm's `logon` (ISO local, no zone) is taken as UTC here, so a WTS logon time is that same
 * wall-clock time with `Z`. The server's current time is `now`; the last input is `now - idleMinutes`, so
 * the API's idle minutes equal the farm's; a session with no idle value (`none`) has no last input (0).
 */

/** WTS_CONNECTSTATE_CLASS, in the order of WINSTATIONSTATECLASS (windows-facts.md). */
export const WTS_STATE: Record<SimState, number> = { Active: 0, Conn: 1, ConnQ: 2, Shadow: 3, Disc: 4, Idle: 5, Listen: 6, Reset: 7, Down: 8, Init: 9 };

/** 100 ns ticks from 1601-01-01 to 1970-01-01: FILETIME = (epoch ms + this / 10 000) * 10 000. */
const EPOCH_DIFF_MS = 11_644_473_600_000n;
const DEFAULT_LOGON = '2026-01-05T08:00'; // what the text renderer prints when a farm gives no logon

export interface WtsSessionRow {
  id: number;
  state: number;
  sessionName: string | null;
  userName: string | null;
  domain: string | null;
  clientName: string | null;
  /** AF_INET (2) / AF_INET6 (23) and the address text; null when the session has no client. */
  clientAddress: { family: 2 | 23; text: string } | null;
  /** WTSClientProtocolType: 0 console, 1 ICA, 2 RDP. */
  protocol: number;
  /** FILETIMEs (100 ns since 1601, UTC); 0n = none. */
  logonTime: bigint;
  connectTime: bigint;
  disconnectTime: bigint;
  lastInputTime: bigint;
  currentTime: bigint;
}

/** A call's outcome: a value, a Win32 error (what GetLastError would give), or a host that never answers. */
export type WtsOutcome<T> =
  | { kind: 'ok'; value: T; delayMs: number; mutated: boolean }
  | { kind: 'error'; code: number; delayMs: number; mutated: boolean }
  | { kind: 'hang' };

/** Epoch ms → FILETIME. */
export function toFileTime(ms: number): bigint {
  return (BigInt(Math.floor(ms)) + EPOCH_DIFF_MS) * 10_000n;
}

function reach(state: FarmState, server: string | null, now: number): Reached | WtsOutcome<never> {
  let code = 0;
  const reached = reachHost(state, server, now, (c) => {
    code = c;
    return '';
  });
  if (isReached(reached)) return reached;
  if (reached.hang) return { kind: 'hang' };
  // Unverified: the code the API gives for a name that does not resolve (the text tools say 1722).
  return { kind: 'error', code: code === 0 ? 1722 : code, delayMs: reached.delayMs, mutated: reached.mutated };
}

function reachedHost(value: Reached | WtsOutcome<never>): value is Reached {
  return 'host' in value;
}

function isSpecial(s: SimSession): boolean {
  return s.id === 0 || s.state === 'Listen' || s.name?.toLowerCase() === 'console';
}

function row(s: SimSession, hostName: string, now: number): WtsSessionRow {
  const user = s.user;
  const logonIso = user === null ? null : (s.logon ?? DEFAULT_LOGON);
  const logon = logonIso === null ? 0n : toFileTime(Date.parse(`${logonIso.slice(0, 16)}:00Z`));
  const idle = s.idleMinutes === undefined ? (s.name?.toLowerCase() === 'console' ? null : 0) : s.idleMinutes;
  const lastInput = user === null || idle === null ? 0n : toFileTime(now - idle * 60_000);
  const address = s.clientAddress ?? null;
  return {
    id: s.id,
    state: WTS_STATE[s.state],
    // Unverified: whether a disconnected session's WinStationName is empty in the API, as quser prints it.
    sessionName: s.state === 'Disc' && user !== null ? null : s.name,
    userName: user,
    // A farm without domains: local accounts of the host (its NetBIOS name, at most 15 characters).
    domain: user === null ? null : (s.domain ?? hostName.split('.')[0]?.slice(0, 15).toUpperCase() ?? null),
    clientName: s.clientName ?? null,
    clientAddress: address === null ? null : { family: address.includes(':') ? 23 : 2, text: address },
    protocol: isSpecial(s) ? 0 : /^ica/iu.test(s.name ?? '') ? 1 : 2,
    logonTime: logon,
    connectTime: logon,
    // Unverified: the API's disconnect time; here the idle time counts from the disconnect, as quser's does.
    disconnectTime: s.state === 'Disc' && lastInput !== 0n ? lastInput : 0n,
    lastInputTime: lastInput,
    currentTime: toFileTime(now),
  };
}

/**
 * WTSEnumerateSessionsExW plus the per-session queries, in one answer. `server` null is
 * WTS_CURRENT_SERVER_HANDLE; only then is the caller's own session (WTS_CURRENT_SESSION) known.
 * @example wtsEnumerate(state, 'rds1', Date.now())
 */
export function wtsEnumerate(state: FarmState, server: string | null, now: number): WtsOutcome<{ sessions: WtsSessionRow[]; currentSessionId: number | null }> {
  state.calls.push({ program: 'wtsapi32', args: ['WTSEnumerateSessionsExW', server ?? ''] });
  const reached = reach(state, server, now);
  if (!reachedHost(reached)) return reached;
  const sessions = reached.host.sessions.map((s) => row(s, reached.name, now));
  const currentSessionId = server === null ? state.callerSessionId : null;
  return { kind: 'ok', value: { sessions, currentSessionId }, delayMs: reached.delayMs, mutated: reached.mutated };
}

/**
 * WTSLogoffSession(bWait = TRUE): the session is gone when it answers. Session 0 is access denied (5); the
 * console and listeners are refused with 50, as the logoff tool double does (Unverified: the real codes).
 */
export function wtsLogoff(state: FarmState, server: string | null, id: number, now: number): WtsOutcome<null> {
  state.calls.push({ program: 'wtsapi32', args: ['WTSLogoffSession', server ?? '', String(id)] });
  const reached = reach(state, server, now);
  if (!reachedHost(reached)) return reached;
  const { host, delayMs, mutated } = reached;
  const session = host.sessions.find((s) => s.id === id);
  if (session === undefined) return { kind: 'error', code: 7022, delayMs, mutated };
  if (id === 0) return { kind: 'error', code: 5, delayMs, mutated };
  if (isSpecial(session)) return { kind: 'error', code: 50, delayMs, mutated };
  host.sessions = host.sessions.filter((s) => s.id !== id);
  return { kind: 'ok', value: null, delayMs, mutated: true };
}

export interface WtsMessageInput {
  title: string;
  text: string;
  seconds: number;
  wait: boolean;
}

/**
 * WTSSendMessageW. Without bWait the answer is IDASYNC (32001); with it, IDTIMEOUT (32000) stands in for
 * a user who never clicked. The message is recorded (title included) for assertions.
 * Unverified: what the API answers for a session that is not Active (50 here, as msg.exe refuses it).
 */
export function wtsMessage(state: FarmState, server: string | null, id: number, input: WtsMessageInput, now: number): WtsOutcome<{ response: number }> {
  state.calls.push({ program: 'wtsapi32', args: ['WTSSendMessageW', server ?? '', String(id), input.title, input.text, String(input.seconds)] });
  const reached = reach(state, server, now);
  if (!reachedHost(reached)) return reached;
  const { host, delayMs } = reached;
  const session = host.sessions.find((s) => s.id === id);
  if (session === undefined) return { kind: 'error', code: 7022, delayMs, mutated: reached.mutated };
  if (session.state !== 'Active') return { kind: 'error', code: 50, delayMs, mutated: reached.mutated };
  host.messages.push({ sessionId: id, text: input.text, time: now, seconds: input.seconds === 0 ? null : input.seconds, title: input.title });
  if (session.logsOffOnMessage) host.sessions = host.sessions.filter((s) => s.id !== id);
  return { kind: 'ok', value: { response: input.wait ? 32000 : 32001 }, delayMs, mutated: true };
}
