import { userInfo } from 'node:os';
import type { Transport } from '../run/transport.js';
import type { DateOrder } from '../types.js';
import { assertConcurrency, assertMilliseconds, assertRetries, assertTimeoutMs, MAX_TIMER_MS } from '../validate.js';
import { guardCallbacks, type GuardedCallbacks } from './callbacks.js';
import { withDeadline } from './deadline.js';
import type { AuditEvent, HostRunOptions, ProgressEvent } from './types.js';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 1_000;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * RunContext.timeoutMs when the caller asked for no per-call timeout (`timeoutMs` 0 or Infinity). Every
 * transport reads a timeoutMs of 0 as "none" (execa's own convention; execa refuses Infinity), and the
 * deadline backstop must not arm a timer for it.
 */
export const NO_TIMEOUT = 0;

/**
 * Resolves after ms; rejects with the signal's reason as soon as it aborts. A wait past setTimeout's limit
 * (2^31-1 ms, 24.8 days, e.g. a retry backoff doubled many times) is chained timers: one timer would fire
 * after 1 ms. Infinity waits until the signal aborts; 0, negative and NaN resolve on the next timer turn.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let left = ms > 0 ? ms : 0;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const step = (): void => {
      const wait = Math.min(left, MAX_TIMER_MS);
      left -= wait;
      timer = setTimeout(() => {
        if (left > 0) return step();
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
    };
    step();
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    // userInfo throws when the uid has no passwd entry (some containers).
    return 'unknown';
  }
}

/** What every per-host step needs; built once per run from the caller's options. */
export interface RunContext {
  transport: Transport;
  /** Hosts in flight at once: an integer from 1 to 256. */
  concurrency: number;
  /** Per call, in ms: finite, at most MAX_WAIT_MS (24 h), or NO_TIMEOUT (0) for none. Never NaN or Infinity. */
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  signal: AbortSignal | undefined;
  sleep: Sleep;
  now: () => Date;
  /** The caller's onWarning, onEvent and onProgress, guarded (callbacks.ts): they never throw. */
  warn: (message: string) => void;
  dateOrder: () => Promise<DateOrder | null>;
  emit: (event: AuditEvent) => void;
  progress: (progress: ProgressEvent) => void;
  /** Wraps an operation's own callbacks the same way (callbacks.ts). */
  guard: GuardedCallbacks['guard'];
  operator: string;
}

/**
 * Checks the caller's run options (ValidationError, before any host is touched) and builds the context.
 * `timeoutMs`: undefined is 30 000; 0 and Infinity are NO_TIMEOUT; NaN, negative and past 24 h are refused.
 */
export function createContext(options: HostRunOptions): RunContext {
  const concurrency = assertConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
  const requested = assertTimeoutMs(options.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs = requested === Number.POSITIVE_INFINITY ? NO_TIMEOUT : requested;
  const retries = assertRetries(options.retries ?? DEFAULT_RETRIES, 'retries');
  const retryDelayMs = assertMilliseconds(options.retryDelayMs, 'retryDelayMs') ?? DEFAULT_RETRY_DELAY_MS;
  const signal = options.signal;
  let order: Promise<DateOrder | null> | undefined;
  const callbacks = guardCallbacks(options);
  const ctx: RunContext = {
    transport: options.transport,
    concurrency,
    timeoutMs,
    retries,
    retryDelayMs,
    signal,
    sleep: options.sleep ?? realSleep,
    now: options.now ?? (() => new Date()),
    warn: callbacks.warn,
    // Learned once per run: quser prints LOGON TIME in the orchestrating machine's short-date format.
    dateOrder: () => {
      // Bounded like every call: a hung culture read must not hold every host's parse hostage.
      order ??= withDeadline(ctx, (opts) => options.transport.dateOrder(opts).catch(() => null), () => null);
      return order;
    },
    emit: callbacks.emit,
    progress: callbacks.progress,
    guard: callbacks.guard,
    operator: options.operator ?? defaultOperator(),
  };
  return ctx;
}
