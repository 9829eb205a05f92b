import { userInfo } from 'node:os';
import type { Transport } from '../run/transport.js';
import type { DateOrder } from '../types.js';
import { withDeadline } from './deadline.js';
import type { AuditEvent, HostRunOptions } from './types.js';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 1_000;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after ms; rejects with the signal's reason as soon as it aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
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
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  signal: AbortSignal | undefined;
  sleep: Sleep;
  now: () => Date;
  warn: (message: string) => void;
  dateOrder: () => Promise<DateOrder | null>;
  emit: (event: AuditEvent) => void;
  operator: string;
}

export function createContext(options: HostRunOptions): RunContext {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = options.signal;
  let order: Promise<DateOrder | null> | undefined;
  const ctx: RunContext = {
    transport: options.transport,
    timeoutMs,
    retries: options.retries ?? DEFAULT_RETRIES,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    signal,
    sleep: options.sleep ?? realSleep,
    now: options.now ?? (() => new Date()),
    warn: options.onWarning ?? (() => undefined),
    // Learned once per run: quser prints LOGON TIME in the orchestrating machine's short-date format.
    dateOrder: () => {
      // Bounded like every call: a hung culture read must not hold every host's parse hostage.
      order ??= withDeadline(ctx, (opts) => options.transport.dateOrder(opts).catch(() => null), () => null);
      return order;
    },
    emit: options.onEvent ?? (() => undefined),
    operator: options.operator ?? defaultOperator(),
  };
  return ctx;
}
