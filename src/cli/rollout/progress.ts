import type { RolloutEvent, RolloutHostState } from '../../core/rollout/types.js';
import type { CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { clock, startStatusLine } from '../status-line.js';

export interface RolloutProgress {
  event(event: RolloutEvent): void;
  host(host: RolloutHostState): void;
  /** Erases the line so other output can be printed; the next tick draws it again. */
  clear(): void;
  stop(): void;
}

const NONE: RolloutProgress = { event: () => undefined, host: () => undefined, clear: () => undefined, stop: () => undefined };

/**
 * One status line on a terminal's stderr (never with --quiet or off a terminal): the wave, hosts done and
 * failed, and each host in flight with its phase, and the time left in its grace period while it has one.
 * @example wave 3 · 12/40 done, 1 failed · rds07 draining 4:10 left, rds08 maintaining
 */
export function startRolloutProgress(deps: CliDeps, ctx: CliContext, total: number, now: () => number = Date.now): RolloutProgress {
  if (!deps.isTTY.stderr || ctx.quiet) return NONE;
  const inFlight = new Map<string, RolloutHostState>();
  let wave = 0;
  let done = 0;
  let failed = 0;
  const line = startStatusLine(deps, () => {
    const hosts = [...inFlight.values()].map((h) => {
      const left = h.phase === 'draining' && h.deadline ? ` ${clock(Date.parse(h.deadline) - now(), 'up')} left` : '';
      return `${h.host} ${h.phase}${left}`;
    });
    return `wave ${wave} · ${done}/${total} done${failed > 0 ? `, ${failed} failed` : ''}${hosts.length > 0 ? ` · ${hosts.join(', ')}` : ''}`;
  });
  return {
    event(event) {
      if (event.event === 'wave-started' && event.wave !== undefined) wave = event.wave;
      if (event.event === 'host-done') done++;
      if (event.event === 'host-failed') failed++;
      line.draw();
    },
    host(h) {
      if (h.status === 'running') inFlight.set(h.host, h);
      else inFlight.delete(h.host);
    },
    clear: line.clear,
    stop: line.stop,
  };
}
