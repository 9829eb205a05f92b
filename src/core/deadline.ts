import type { RunOptions, RunResult } from '../run/runner.js';
import type { RunContext } from './context.js';
import { followSignal } from './follow-signal.js';

// A transport must kill its process at timeoutMs; this margin only catches one that does not.
const DEADLINE_MARGIN_MS = 2_000;
// setTimeout fires at once past this (a 32-bit signed delay); a backstop that long is no backstop at all.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What every bounded transport call receives: the run's timeout, a signal, and the start notification. */
export type BoundedCallOptions = Required<Pick<RunOptions, 'timeoutMs' | 'signal' | 'onStarted'>>;

function syntheticResult(command: string, timedOut: boolean, aborted: boolean, started: number): RunResult {
  return { command, exitCode: null, stdout: '', stderr: '', timedOut, aborted, spawnError: null, durationMs: Date.now() - started };
}

/**
 * One transport call under the run's timeout and signal. If a transport fails to honour its own timeout,
 * the call is abandoned at timeout + margin and reported as timed out, so no host can stall the run.
 */
export function callHost(ctx: RunContext, what: string, fn: (options: BoundedCallOptions) => Promise<RunResult>): Promise<RunResult> {
  const started = Date.now();
  return withDeadline(ctx, fn, (timedOut) => syntheticResult(what, timedOut, !timedOut, started));
}

/**
 * callHost for any result type: `giveUp(true)` on a missed deadline, `giveUp(false)` after an abort.
 *
 * The backstop counts like the transport's own timeout: from when the call starts. A transport that must
 * first start something (a PowerShell shell, a free runspace) declares `startLimitMs` and calls `onStarted`;
 * until then the backstop also allows that start limit, so a shell starting slowly on a loaded machine does
 * not turn healthy hosts into timeouts. A timeout of 0 or Infinity means no timeout, and no backstop.
 */
export async function withDeadline<T>(ctx: RunContext, fn: (options: BoundedCallOptions) => Promise<T>, giveUp: (timedOut: boolean) => T): Promise<T> {
  if (ctx.signal?.aborted) return giveUp(false);
  // The call's own signal: aborted by the run's signal, or by this deadline alone (follow-signal.ts).
  const link = followSignal(ctx.signal);
  const { signal } = link;
  const limited = Number.isFinite(ctx.timeoutMs) && ctx.timeoutMs > 0;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let expire: () => void = () => undefined;
  const arm = (ms: number): void => {
    clearTimeout(timer);
    if (limited && ms <= MAX_TIMER_MS) timer = setTimeout(expire, ms);
  };
  const guard = new Promise<T>((resolve) => {
    expire = () => {
      link.abort(new Error('deadline'));
      resolve(giveUp(true));
    };
    // After the run's abort the transport gets a moment to kill its process and report; then we move on.
    onAbort = () => {
      if (ctx.signal?.aborted) setTimeout(() => resolve(giveUp(false)), DEADLINE_MARGIN_MS).unref();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  arm((ctx.transport.startLimitMs ?? 0) + ctx.timeoutMs + DEADLINE_MARGIN_MS);
  let restarted = false;
  const onStarted = (): void => {
    if (restarted) return;
    restarted = true;
    arm(ctx.timeoutMs + DEADLINE_MARGIN_MS);
  };
  try {
    return await Promise.race([fn({ timeoutMs: ctx.timeoutMs, signal, onStarted }), guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    link.release();
  }
}
