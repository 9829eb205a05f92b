import type { DrainHostPhase, ProgressEvent } from '../core/types.js';
import type { CliContext } from './context.js';
import type { CliDeps } from './deps.js';
import { clock, startStatusLine } from './status-line.js';

export interface Progress {
  update(p: ProgressEvent): void;
  /** A drain host's step: shown after the count until the host is done. */
  phase(p: DrainHostPhase): void;
  /** Erases the line so a warning can be printed; the next tick draws it again. */
  clear(): void;
  /** Erases the line for good and stops the clock. */
  stop(): void;
}

const NONE: Progress = { update: () => undefined, phase: () => undefined, clear: () => undefined, stop: () => undefined };

const sessions = (n: number | null): string => (n === null ? '' : ` (${n} session${n === 1 ? '' : 's'})`);

/** One host's step in words, e.g. `rds01 waiting 4:30 left (2 sessions)`; the time left rounds down, never promising more. */
function stepText(p: DrainHostPhase, now: number): string {
  switch (p.step) {
    case 'blocking':
      return `${p.host} blocking logons`;
    case 'waiting': {
      const left = p.until === null ? '' : ` ${clock(Date.parse(p.until) - now, 'down')} left`;
      return `${p.host} waiting${left}${sessions(p.sessionsLeft)}`;
    }
    case 'warning':
    case 'logging-off':
      return `${p.host} ${p.step === 'warning' ? 'warning' : 'logging off'}${sessions(p.sessionsLeft)}`;
    default:
      return `${p.host} ${p.step}`;
  }
}

/**
 * Hosts done / total, failures so far and the time elapsed, then each drain host in flight with its step
 * (time left while it waits, sessions left), on stderr, only on a terminal and without --quiet. One line,
 * cut to the terminal's width: a wrapped line could not be erased. Drawn at once and every second: a drain
 * waits out its grace (10 minutes by default) with no host finishing, and a silent terminal looks hung.
 *
 * @example
 * const progress = startProgress(deps, ctx, 4); // "0/4 hosts done · 0:00 · rds01 waiting 9:58 left (2 sessions)"
 */
export function startProgress(deps: CliDeps, ctx: CliContext, total: number, now: () => number = deps.now ? () => (deps.now as () => Date)().getTime() : Date.now): Progress {
  if (!deps.isTTY.stderr || ctx.quiet) return NONE;
  const started = now();
  let last: ProgressEvent = { done: 0, total, failed: 0 };
  const hosts = new Map<string, DrainHostPhase>();
  const line = startStatusLine(deps, () => {
    const failed = last.failed > 0 ? `, ${last.failed} failed` : '';
    const at = now();
    const steps = hosts.size === 0 ? '' : ` · ${[...hosts.values()].map((p) => stepText(p, at)).join(', ')}`;
    return `${last.done}/${last.total} hosts done${failed} · ${clock(at - started, 'down')}${steps}`;
  });
  line.draw();
  return {
    update: (p) => {
      last = p;
      line.draw();
    },
    phase: (p) => {
      if (p.step === 'done') hosts.delete(p.host);
      else hosts.set(p.host, p);
      line.draw();
    },
    clear: line.clear,
    stop: line.stop,
  };
}
