import { fail } from './validate-fail.js';

/*
 * Durations and waits, for the CLI's options and the library's: bounded so that no timer can overflow
 * (setTimeout fires a delay past 2^31-1 ms at once) and no run can wait longer than a maintenance job lasts.
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** setTimeout's limit (2^31-1 ms, 24.8 days): Node fires a longer delay after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The longest wait any option may ask for (grace, remind-every, verify-timeout, poll interval, per-call
 * timeout, retry delay): 24 h. A run is one maintenance job watched by someone, not a scheduler: a grace
 * period longer than a day is a drain to start later (cron, a CI schedule), a call that has not answered in
 * a day has hung, and CI systems cancel jobs long before (GitHub-hosted runners after 6 h). It also keeps
 * every timer far below setTimeout's 24.8-day limit, margins included.
 */
export const MAX_WAIT_MS = 86_400_000;

/** `86400000` → `24h`, `90000` → `90s`: a bound as the user would type it. */
function shownDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Duration in milliseconds: a bare integer is seconds; `30s`, `5m`, `2h`, `1d`. Whole numbers only
 * (fractions are refused: write `90s`, not `1.5m`). 0 is allowed (e.g. no grace period). `max` (ms) is the
 * largest value accepted: every duration that is waited on passes MAX_WAIT_MS; `--idle-over`, a filter, passes none.
 * @example parseDuration('5m', 'grace') // 300000
 * @example parseDuration('25d', '--grace', { max: MAX_WAIT_MS }) // throws ValidationError(--grace)
 */
export function parseDuration(value: string | number, argument: string, limits: { max?: number } = {}): number {
  const bound = limits.max === undefined ? '' : `, at most ${shownDuration(limits.max)}`;
  const allowed = `expected a whole number of seconds, or a number with s, m, h or d (e.g. 90, 30s, 5m, 2h, 1d)${bound}`;
  let amount: number;
  let unit = 's';
  if (typeof value === 'number') {
    amount = value;
  } else {
    const match = typeof value === 'string' ? /^([0-9]{1,12})([smhd])?$/iu.exec(value) : null;
    if (!match) fail(argument, value, allowed);
    amount = Number.parseInt(match[1] ?? '', 10);
    unit = (match[2] ?? 's').toLowerCase();
  }
  const ms = amount * (UNIT_MS[unit] ?? Number.NaN);
  if (!Number.isSafeInteger(amount) || amount < 0 || !Number.isSafeInteger(ms)) fail(argument, value, allowed);
  if (limits.max !== undefined && ms > limits.max) fail(argument, value, allowed);
  return ms;
}

/**
 * A library caller's duration in ms: undefined, or a finite number from 0 to `max` (default MAX_WAIT_MS,
 * 24 h). NaN would turn a grace wait into a poll that never reaches its deadline; past 2^31-1 ms a timer
 * would fire at once.
 * @example assertMilliseconds(300_000, 'graceMs') // 300000
 */
export function assertMilliseconds(value: number | undefined, argument: string, max = MAX_WAIT_MS): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max)) {
    fail(argument, value, `expected a number of milliseconds from 0 to ${max} (${shownDuration(max)})`);
  }
  return value;
}

/**
 * A library caller's per-call timeout: undefined (the default applies), 0 or Infinity (no per-call timeout),
 * or more than 0 up to MAX_WAIT_MS (24 h). NaN, negative and larger values are refused: a timer past
 * 2^31-1 ms would fire at once. Returns the value unchanged; see createContext for what it becomes.
 * @example assertTimeoutMs(Infinity) // Infinity
 */
export function assertTimeoutMs(value: number | undefined, argument = 'timeoutMs'): number | undefined {
  if (value === undefined || value === 0 || value === Number.POSITIVE_INFINITY) return value;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_WAIT_MS)) {
    fail(argument, value, `expected milliseconds from 1 to ${MAX_WAIT_MS} (${shownDuration(MAX_WAIT_MS)}), or 0 or Infinity for no per-call timeout`);
  }
  return value;
}
