import type { CliDeps } from './deps.js';
import { eraseLine } from './terminal.js';

/** A one-line status on a terminal's stderr, redrawn in place. */
export interface StatusLine {
  /** Draws the line now (it is also redrawn every second). */
  draw(): void;
  /** Erases the line so other output can be printed; the next draw brings it back. */
  clear(): void;
  /** Erases the line for good and stops the clock. */
  stop(): void;
}

/**
 * `m:ss`. Rounding is the caller's promise: drain rounds a wait down (never promising more time than is
 * left), rollout's grace shows the minute it is in.
 * @example clock(61_500, 'down') // '1:01'
 */
export function clock(ms: number, round: 'down' | 'up'): string {
  const s = Math.max(0, (round === 'down' ? Math.floor : Math.ceil)(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The mechanism behind drain's and rollout's progress: `render()` is written every second (and on `draw()`),
 * cut to the terminal's width (a wrapped line could not be erased), and erased through `eraseLine`, which
 * bypasses the sanitizer that would blank the escape. The timer never keeps the process alive on its own.
 * @example const line = startStatusLine(deps, () => `${done}/${total} done`); line.draw(); … line.stop();
 */
export function startStatusLine(deps: CliDeps, render: () => string): StatusLine {
  let shown = false;
  const draw = (): void => {
    shown = true;
    const line = render();
    const width = Math.max(40, (process.stderr.columns ?? 100) - 1);
    eraseLine(deps.stderr);
    deps.stderr.write(line.length > width ? `${line.slice(0, width - 1)}…` : line);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  const clear = (): void => {
    if (shown) eraseLine(deps.stderr);
    shown = false;
  };
  return {
    draw,
    clear,
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}
