import type { ProgressEvent } from '../core/types.js';
import type { CliContext } from './context.js';
import type { CliDeps } from './deps.js';
import { eraseLine } from './terminal.js';

export interface Progress {
  update(p: ProgressEvent): void;
  /** Erases the line so a warning can be printed; the next tick draws it again. */
  clear(): void;
  /** Erases the line for good and stops the clock. */
  stop(): void;
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Hosts done / total, failures so far and the time elapsed, on stderr, only on a terminal and without
 * --quiet. It is drawn at once and ticks every second: a drain waits out its grace (10 minutes by default)
 * with no host finishing, and a silent terminal for that long looks hung.
 *
 * @example
 * const progress = startProgress(deps, ctx, 4); // "0/4 hosts done · 0:00"
 */
export function startProgress(deps: CliDeps, ctx: CliContext, total: number, clock: () => number = Date.now): Progress {
  if (!deps.isTTY.stderr || ctx.quiet) return { update: () => undefined, clear: () => undefined, stop: () => undefined };
  const started = clock();
  let last: ProgressEvent = { done: 0, total, failed: 0 };
  let shown = false;
  const draw = (): void => {
    shown = true;
    const failed = last.failed > 0 ? `, ${last.failed} failed` : '';
    eraseLine(deps.stderr);
    deps.stderr.write(`${last.done}/${last.total} hosts done${failed} · ${elapsed(clock() - started)}`);
  };
  const timer = setInterval(draw, 1000);
  // The clock must never keep the process alive on its own.
  timer.unref();
  draw();
  const clear = (): void => {
    if (shown) eraseLine(deps.stderr);
    shown = false;
  };
  return {
    update: (p) => {
      last = p;
      draw();
    },
    clear,
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}
