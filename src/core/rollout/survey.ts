import type { LogonState } from '../../run/transport.js';
import type { RunContext } from '../context.js';
import { withDeadline } from '../deadline.js';
import type { HostTarget } from '../hosts.js';
import { runPool } from '../pool.js';
import { queryHost } from '../query.js';
import type { RolloutHostState } from './types.js';

/** Logon states that mean a host was not accepting new logons before the rollout touched it. */
export function isBlockedState(state: LogonState): boolean {
  return state === 'drain' || state === 'drain-until-restart' || state === 'disabled';
}

/** A fresh host entry of the plan. */
export function newHostState(host: string, sessions: number | null, initialLogons: LogonState): RolloutHostState {
  return { host, status: 'pending', phase: 'pending', reason: null, sessions, initialLogons, blockedAt: null, deadline: null, warned: [], maintenanceStartedAt: null, wave: null, logons: 'untouched' };
}

/**
 * Reads every host once, changing nothing: its user sessions (any state) and whether it accepts logons.
 * Returns the plan's hosts ordered fewest sessions first (a host that could not be read goes last; ties keep
 * the input order). A host already blocked counts as out of service; one whose state cannot be read too.
 */
export async function surveyHosts(ctx: RunContext, hosts: readonly HostTarget[]): Promise<RolloutHostState[]> {
  const outcomes = await runPool(
    hosts,
    async (host) => {
      const [listed, logons] = await Promise.all([
        queryHost(ctx, host, 'quser'),
        withDeadline(
          ctx,
          (opts) => ctx.transport.getLogons(host.address, opts).then((r) => r.state, () => 'unknown' as const),
          () => 'unknown' as const,
        ),
      ]);
      if (!listed.ok) ctx.warn(`${host.name}: could not count its sessions before the rollout: ${listed.failure.message}`);
      return newHostState(host.name, listed.ok ? listed.sessions.length : null, logons);
    },
    () => false,
    { concurrency: ctx.concurrency, signal: ctx.signal },
  );
  const states = outcomes.map((o, i) => (o.started ? o.value : newHostState(hosts[i]?.name ?? '', null, 'unknown')));
  const rank = (s: RolloutHostState): number => s.sessions ?? Number.POSITIVE_INFINITY;
  return states.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map((x) => x.s);
}

/**
 * Out of service right now, as far as the rollout knows: in flight, blocked before the run (or unreadable
 * then) and not since allowed by it, or failed with its logons left blocked.
 */
export function isOut(h: RolloutHostState): boolean {
  if (h.status === 'running' || h.status === 'interrupted') return true;
  if ((isBlockedState(h.initialLogons) || h.initialLogons === 'unknown') && !(h.status === 'done' && h.logons === 'allowed')) return true;
  return h.status === 'failed' && h.logons === 'blocked';
}
