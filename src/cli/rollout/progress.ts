import type { RolloutEvent, RolloutHostState } from '../../core/rollout/types.js';
import type { CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';

export interface RolloutProgress {
  event(event: RolloutEvent): void;
  host(host: RolloutHostState): void;
  /** Erases the line so other output can be printed; the next tick draws it again. */
  clear(): void;
  stop(): void;
}

const NONE: RolloutProgress = { event: () => undefined, host: () => undefined, clear: () => undefined, stop: () => undefined };

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

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
  let shown = false;
  const width = (): number => Math.max(40, (process.stderr.columns ?? 100) - 1);
  const draw = (): void => {
    shown = true;
    const hosts = [...inFlight.values()].map((h) => {
      const left = h.phase === 'draining' && h.deadline ? ` ${clock(Date.parse(h.deadline) - now())} left` : '';
      return `${h.host} ${h.phase}${left}`;
    });
    const line = `wave ${wave} · ${done}/${total} done${failed > 0 ? `, ${failed} failed` : ''}${hosts.length > 0 ? ` · ${hosts.join(', ')}` : ''}`;
    deps.stderr.write(`\r\u001b[K${line.length > width() ? `${line.slice(0, width() - 1)}…` : line}`);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  const clear = (): void => {
    if (shown) deps.stderr.write('\r\u001b[K');
    shown = false;
  };
  return {
    event(event) {
      if (event.event === 'wave-started' && event.wave !== undefined) wave = event.wave;
      if (event.event === 'host-done') done++;
      if (event.event === 'host-failed') failed++;
      draw();
    },
    host(h) {
      if (h.status === 'running') inFlight.set(h.host, h);
      else inFlight.delete(h.host);
    },
    clear,
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}
