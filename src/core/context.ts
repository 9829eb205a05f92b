import { userInfo } from 'node:os';
import type { RunResult } from '../run/runner.js';
import type { Transport } from '../run/transport.js';
import type { DateOrder } from '../types.js';
import type { HostTarget } from './hosts.js';
import type { ActionRecord, AuditEvent, HostErrorRecord, HostRunOptions } from './types.js';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 1_000;
// A transport must kill its process at timeoutMs; this margin only catches one that does not.
const DEADLINE_MARGIN_MS = 2_000;

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
      order ??= options.transport.dateOrder(runOptions(timeoutMs, signal)).catch(() => null);
      return order;
    },
    emit: options.onEvent ?? (() => undefined),
    operator: options.operator ?? defaultOperator(),
  };
  return ctx;
}

function runOptions(timeoutMs: number, signal: AbortSignal | undefined): { timeoutMs: number; signal?: AbortSignal } {
  return signal ? { timeoutMs, signal } : { timeoutMs };
}

function syntheticResult(command: string, timedOut: boolean, aborted: boolean, started: number): RunResult {
  return { command, exitCode: null, stdout: '', stderr: '', timedOut, aborted, spawnError: null, durationMs: Date.now() - started };
}

/**
 * One transport call under the run's timeout and signal. If a transport fails to honour its own timeout,
 * the call is abandoned at timeout + margin and reported as timed out, so no host can stall the run.
 */
export function callHost(
  ctx: RunContext,
  what: string,
  fn: (options: { timeoutMs: number; signal: AbortSignal }) => Promise<RunResult>,
): Promise<RunResult> {
  const started = Date.now();
  return withDeadline(ctx, fn, (timedOut) => syntheticResult(what, timedOut, !timedOut, started));
}

/** callHost for any result type: `giveUp(true)` on a missed deadline, `giveUp(false)` after an abort. */
export async function withDeadline<T>(
  ctx: RunContext,
  fn: (options: { timeoutMs: number; signal: AbortSignal }) => Promise<T>,
  giveUp: (timedOut: boolean) => T,
): Promise<T> {
  if (ctx.signal?.aborted) return giveUp(false);
  const local = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, local.signal]) : local.signal;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      local.abort(new Error('deadline'));
      resolve(giveUp(true));
    }, ctx.timeoutMs + DEADLINE_MARGIN_MS);
    // After an abort the transport gets a moment to kill its process and report; then we move on.
    onAbort = () => setTimeout(() => resolve(giveUp(false)), DEADLINE_MARGIN_MS).unref();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([fn({ timeoutMs: ctx.timeoutMs, signal }), guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.signal?.removeEventListener('abort', onAbort);
  }
}

/** Per-host collector: actions and errors in the order they happened, merged in host order at the end. */
export class HostScope {
  readonly actions: ActionRecord[] = [];
  readonly errors: HostErrorRecord[] = [];
  constructor(
    readonly ctx: RunContext,
    readonly host: HostTarget,
  ) {}

  /** Records an action; an attempted change (by default: done, failed, already-gone) also becomes an audit event. */
  act(action: Omit<ActionRecord, 'host'>, attempted = action.status === 'done' || action.status === 'failed' || action.status === 'already-gone'): ActionRecord {
    const record: ActionRecord = { host: this.host.name, ...action };
    this.actions.push(record);
    // verify only reads; every other kind changes the host when attempted.
    if (attempted && record.action !== 'verify') {
      this.ctx.emit({
        time: this.ctx.now().toISOString(),
        operator: this.ctx.operator,
        host: record.host,
        sessionId: record.sessionId,
        username: record.username,
        action: record.action,
        result: record.status,
        reason: record.reason,
      });
    }
    return record;
  }

  fail(error: Omit<HostErrorRecord, 'host'>): HostErrorRecord {
    const record: HostErrorRecord = { host: this.host.name, ...error };
    this.errors.push(record);
    return record;
  }

  get failed(): boolean {
    return this.errors.length > 0 || this.actions.some((a) => a.status === 'failed' || a.status === 'refused' || a.status === 'not-found');
  }
}
