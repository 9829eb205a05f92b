import { isIPv4, isIPv6 } from 'node:net';
import { ValidationError } from './errors.js';
import { fail } from './validate-fail.js';
import { canonicalState } from './parse/states.js';
import type { SessionState } from './types.js';

export { assertMilliseconds, assertTimeoutMs, MAX_TIMER_MS, MAX_WAIT_MS, parseDuration } from './validate-time.js';

/*
 * Every value that can reach a command line or a PowerShell call is checked here first, so a rejected
 * value means no process starts. Messages are one line: the bad value (JSON-quoted, so control
 * characters are visible) and what is allowed.
 */

// C0, DEL and C1 controls; none of them belongs in a host, name, pattern or message.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// ASCII and typographic quotes: PowerShell treats ‘ ’ ‚ ‛ “ ” like ' and ".
const QUOTES = /['"\u2018\u2019\u201a\u201b\u201c\u201d]/u;
const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/u;
const HOST_ALLOWED = 'expected a DNS name, NetBIOS name, IPv4 or IPv6 address (letters, digits, "-", "_", "."; at most 253 characters)';

/**
 * Accepts a host name or address for `/server:<host>`; returns it unchanged.
 * IPv6 is accepted without brackets; zone ids (`%eth0`) are refused because `%` expands in cmd.
 * @example assertHost('rds01.corp.example') // 'rds01.corp.example'
 */
export function assertHost(value: string, argument = 'server'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) fail(argument, value, HOST_ALLOWED);
  if (value.includes(':')) {
    if (isIPv6(value) && !value.includes('%')) return value;
    fail(argument, value, HOST_ALLOWED);
  }
  const labels = value.split('.');
  if (!labels.every((label) => HOST_LABEL.test(label))) fail(argument, value, HOST_ALLOWED);
  // All-numeric dotted values are addresses: "10.1.2" would be read as shorthand IPv4, so insist on four parts.
  if (labels.every((label) => /^\d+$/u.test(label)) && labels.length > 1 && !isIPv4(value)) {
    fail(argument, value, HOST_ALLOWED);
  }
  return value;
}

/** Session ids are DWORDs. 0 is `services`; 65536 and up are listeners (see assertTargetAllowed). */
export const MAX_SESSION_ID = 4294967295;
export const FIRST_LISTENER_ID = 65536;

/**
 * Accepts a decimal session id (no sign, no hex, no spaces) from a string or number, 0..4294967295 (a DWORD).
 * Whether an id may be targeted is a separate check (assertTargetAllowed): 0 is services, 65536+ are listeners.
 * @example assertSessionId('3') // 3
 */
export function assertSessionId(value: string | number, argument = 'session'): number {
  const allowed = `expected a decimal session id from 0 to ${MAX_SESSION_ID}`;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_SESSION_ID) fail(argument, value, allowed);
    return value;
  }
  if (typeof value !== 'string' || !/^[0-9]{1,10}$/u.test(value)) fail(argument, value, allowed);
  const id = Number.parseInt(value, 10);
  if (id > MAX_SESSION_ID) fail(argument, value, allowed);
  return id;
}

/**
 * Accepts a WinStation name such as `rdp-tcp#12`, `console`, `ICA-CGP#3`. WinStation names are at most
 * 32 characters (WINSTATIONNAME_LENGTH in winsta.h), and must start with a letter so that they can be told
 * apart from ids and never look like a switch.
 * @example assertSessionName('rdp-tcp#12') // 'rdp-tcp#12'
 */
export function assertSessionName(value: string, argument = 'session'): string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9#_.-]{0,31}$/u.test(value)) {
    fail(argument, value, 'expected a session name: a letter, then letters, digits, "#", "-", "_" or "." (at most 32 characters)');
  }
  return value;
}

export type Target = { kind: 'id'; id: number } | { kind: 'name'; name: string };

/**
 * A target that starts with a digit must be a session id; anything else must be a session name.
 * @example parseTarget('rdp-tcp#3') // { kind: 'name', name: 'rdp-tcp#3' }
 */
export function parseTarget(value: string, argument = 'session'): Target {
  if (typeof value === 'string' && /^[0-9]/u.test(value)) return { kind: 'id', id: assertSessionId(value, argument) };
  return { kind: 'name', name: assertSessionName(value, argument) };
}

const PROTECTED_NAMES = new Set(['console', 'services']);

/**
 * Explicitly naming a protected session (services 0, listeners 65536+, `console`, `services`) is invalid input.
 * @example assertTargetAllowed({ kind: 'id', id: 0 }) // throws ValidationError
 */
export function assertTargetAllowed(target: Target, argument = 'session'): Target {
  if (target.kind === 'id') {
    if (target.id === 0) fail(argument, target.id, 'session 0 is the services session and is never a target');
    if (target.id >= FIRST_LISTENER_ID) fail(argument, target.id, `ids ${FIRST_LISTENER_ID} and up are listeners and are never targets`);
  } else if (PROTECTED_NAMES.has(target.name.toLowerCase())) {
    fail(argument, target.name, 'the console and services sessions are never targets');
  }
  return target;
}

/**
 * Accepts a user-name glob (`*`, `?`). Names may hold spaces, `\` (DOMAIN\user), `@` (user@domain) and `$`.
 * The pattern is only ever matched in-process, never passed to a program.
 * @example assertUserPattern('CORP\\j*') // 'CORP\\j*'
 */
export function assertUserPattern(value: string, argument = 'user'): string {
  const allowed = 'expected a user name or glob (* and ?), not empty, at most 256 characters, no quotes or control characters, not starting with "-", "/" or "@"';
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 256) fail(argument, value, allowed);
  if (CONTROL.test(value) || QUOTES.test(value) || /^[-/@]/u.test(value)) fail(argument, value, allowed);
  // Compiled here so a pattern that cannot become a RegExp is invalid input before any host runs.
  try {
    globToRegExp(value);
  } catch {
    fail(argument, value, allowed);
  }
  return value;
}

/**
 * Anchored, case-insensitive RegExp for a user glob: `*` any run, `?` one character, everything else literal.
 * @example globToRegExp('adm*').test('Administrator') // true
 */
export function globToRegExp(pattern: string): RegExp {
  const body = Array.from(pattern, (ch) => {
    if (ch === '*') return '.*';
    if (ch === '?') return '.';
    // Only syntax characters may be escaped under the `u` flag: `\-` is a SyntaxError ("svc-backup").
    return ch.replace(/[\\^$.|+(){}[\]*?/]/gu, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`, 'iu');
}

/**
 * Session states for a filter, read through the parsers' state vocabulary: canonical names (`Disconnected`)
 * and what quser / query session print (`Disc`, `Conn`, `Getr.`, …), in any case. Unknown words are
 * refused, never read as "matches nothing". Returns canonical states, without repeats.
 * @example assertStates(['disc', 'Active']) // ['Disconnected', 'Active']
 */
export function assertStates(values: readonly string[], argument = 'states'): SessionState[] {
  if (!Array.isArray(values)) fail(argument, values, 'expected a list of session states');
  const states = new Set<SessionState>();
  for (const value of values) {
    const state = typeof value === 'string' && !CONTROL.test(value) ? canonicalState(value) : 'Unknown';
    if (state === 'Unknown') fail(argument, value, 'expected a session state by name or as quser prints it, in any case: Active, Disconnected (Disc), Connected (Conn), Listen, Idle, Shadow, Reset, Down, Init, ConnectQuery');
    states.add(state);
  }
  return [...states];
}

/** msg.exe's practical limit (Ansible win_msg); longer texts are cut or refused by some builds. */
export const MAX_MESSAGE_LENGTH = 255;

/**
 * Accepts message text for msg.exe and returns it with CRLF normalised to LF. 1–255 characters; no control
 * characters other than newline. The value is redacted in the thrown error.
 * @example assertMessageText('Server restarts in 10 minutes') // unchanged
 */
export function assertMessageText(value: string, argument = 'text'): string {
  if (typeof value !== 'string') fail(argument, value, 'expected text', true);
  const text = value.replace(/\r\n/gu, '\n');
  if (text.trim().length === 0 || text.length > MAX_MESSAGE_LENGTH) {
    fail(argument, value, `expected 1 to ${MAX_MESSAGE_LENGTH} characters of message text (got ${text.length})`, true);
  }
  if (CONTROL.test(text.replace(/\n/gu, ''))) fail(argument, value, 'control characters other than newline are not allowed in message text', true);
  return text;
}

/**
 * A warning before a logoff always comes with its wait, said explicitly: a message without a grace period
 * reaches the user in the same second as the logoff, and a grace period without a message waits for no
 * one. Grace 0 is allowed when given (warn, then log off at once). `names` words the error (CLI flags).
 * @example assertWarningWait('Logoff in 5 minutes', 300_000) // ok
 * @example assertWarningWait('bye', undefined) // throws ValidationError(graceMs)
 */
export function assertWarningWait(message: string | undefined, graceMs: number | undefined, names = { message: 'message', grace: 'graceMs' }): void {
  if (message !== undefined && graceMs === undefined) {
    throw new ValidationError(names.grace, '', `${names.message} needs ${names.grace}: how long users get between the warning and the logoff (e.g. 5m; 0 to log off right after the warning)`);
  }
  if (message === undefined && graceMs !== undefined) {
    fail(names.grace, graceMs, `it is the wait after ${names.message}; give ${names.message} too`);
  }
}

/**
 * Accepts a concurrency limit: an integer from 1 to 256.
 * @example assertConcurrency('8') // 8
 */
export function assertConcurrency(value: number | string, argument = 'concurrency'): number {
  const n = typeof value === 'string' && /^[0-9]{1,3}$/u.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 256) fail(argument, value, 'expected an integer from 1 to 256');
  return n;
}

/**
 * Parses `k/n` (this is shard k of n, 1 ≤ k ≤ n ≤ 10000).
 * @example parseShard('2/4') // { index: 2, count: 4 }
 */
export function parseShard(value: string, argument = 'shard'): { index: number; count: number } {
  const match = typeof value === 'string' ? /^([0-9]{1,5})\/([0-9]{1,5})$/u.exec(value) : null;
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || count > 10000 || index > count) fail(argument, value, 'expected k/n with 1 <= k <= n <= 10000, e.g. 1/4');
  return { index, count };
}

/** Extra attempts for a host that is unreachable; the CLI's --retries has the same range. */
export const MAX_RETRIES = 10;

/**
 * Accepts a retry count: an integer from 0 to 10 (NaN would retry an unreachable host forever).
 * @example assertRetries(2) // 2
 */
export function assertRetries(value: number, argument = 'retries'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_RETRIES) fail(argument, value, `expected an integer from 0 to ${MAX_RETRIES}`);
  return value;
}
