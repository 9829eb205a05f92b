import type { RunResult } from '../run/runner.js';
import type { RunContext } from './context.js';

// A transport must kill its process at timeoutMs; this margin only catches one that does not.
const DEADLINE_MARGIN_MS = 2_000;

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
