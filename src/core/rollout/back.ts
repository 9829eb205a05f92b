import { withDeadline } from '../deadline.js';
import { followSignal } from '../follow-signal.js';
import { changeLogons } from '../logon-change.js';
import { queryHost } from '../query.js';
import type { HostScope } from '../scope.js';
import { pause } from '../steps.js';
import type { Maintain } from './types.js';

// A maintenance that ignores its abort signal is given this long to settle before the host is given up on.
const MAINTAIN_SETTLE_MS = 5_000;
// Waiting for a host to come back: query at once, then 1 s, 2 s, 4 s … up to the poll interval.
const FIRST_BACK_POLL_MS = 1_000;

function shown(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Runs `maintain(host, signal)` once under a timeout: the signal aborts at `timeoutMs` (or when the run is
 * interrupted), and a callback that does not settle within a few seconds after that is abandoned. Returns
 * null on success, or why it failed.
 */
export async function runMaintenance(scope: HostScope, maintain: Maintain, timeoutMs: number): Promise<string | null> {
  const { ctx, host } = scope;
  // Its own signal: aborted by the run's signal or by this timeout (follow-signal.ts).
  const link = followSignal(ctx.signal);
  const { signal } = link;
  let timedOut = false;
  let settle: NodeJS.Timeout | undefined;
  let giveUp: () => void = () => undefined;
  const abandoned = new Promise<string>((resolve) => {
    giveUp = (): void => {
      settle = setTimeout(() => resolve('it did not stop when told to; abandoned'), MAINTAIN_SETTLE_MS);
    };
    signal.addEventListener('abort', giveUp, { once: true });
  });
  const timer = setTimeout(() => {
    timedOut = true;
    link.abort(new Error(`the maintenance did not finish within ${shown(timeoutMs)}`));
  }, timeoutMs);
  try {
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => maintain(host.name, signal))
        .then(
          () => null,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      abandoned,
    ]);
    if (timedOut) return `the maintenance did not finish within ${shown(timeoutMs)}: it was stopped${outcome ? ` (${outcome})` : ''}`;
    if (ctx.signal?.aborted) return `the maintenance was stopped: the run was interrupted${outcome ? ` (${outcome})` : ''}`;
    return outcome === null ? null : `the maintenance failed: ${outcome}`;
  } finally {
    signal.removeEventListener('abort', giveUp);
    clearTimeout(timer);
    clearTimeout(settle);
    link.release();
  }
}

/** Polls until the host answers a session query again (after a reboot), within `waitMs`. Null, or why not. */
export async function waitBack(scope: HostScope, waitMs: number, pollMs: number): Promise<string | null> {
  const { ctx, host } = scope;
  const until = ctx.now().getTime() + waitMs;
  let delay = Math.min(FIRST_BACK_POLL_MS, Math.max(1, pollMs));
  for (;;) {
    const seen = await queryHost(ctx, host, 'quser');
    if (seen.ok) return null;
    if (ctx.signal?.aborted) return 'the run was interrupted';
    const now = ctx.now().getTime();
    if (now >= until) return `${host.name} did not answer within ${shown(waitMs)} after the maintenance: ${seen.failure.message}`;
    if (!(await pause(scope, Math.min(delay, until - now)))) return 'the run was interrupted';
    delay = Math.min(delay * 2, Math.max(1, pollMs));
  }
}

/** `logons enable`, then reads the state back: null when the host now accepts logons, or why not. */
export async function allowLogons(scope: HostScope): Promise<string | null> {
  const { ctx, host } = scope;
  const refused = await changeLogons(scope, {
    action: 'allow-logons',
    mode: 'enable',
    dryRun: false,
    unsupported: (error) => `${error.message}; use --transport powershell for remote hosts`,
  });
  if (refused !== null) return refused;
  const state = await withDeadline(
    ctx,
    (opts) => ctx.transport.getLogons(host.address, opts).then((r) => r.state, () => 'unknown' as const),
    () => 'unknown' as const,
  );
  if (state === 'enabled') return null;
  const reason = `logons were allowed, but ${host.name} reads ${state}`;
  scope.act({ sessionId: null, username: null, action: 'verify', status: 'failed', reason });
  return reason;
}
