import type { RunContext } from '../context.js';
import { blockLogons, logonModeFor } from '../drain-steps.js';
import type { HostTarget } from '../hosts.js';
import { HostScope } from '../scope.js';
import { budgetOf, pickWave } from './budget.js';
import type { RolloutStateDoc } from './state-file.js';
import { isBlockedState, isOut } from './survey.js';
import type { RolloutHostState, RolloutReport, RolloutStop } from './types.js';
import { failureStop } from './waves.js';

/**
 * Whether the real run could block logons on this host: the question its block-logons step asks first
 * (drain's step in a dry run: changeLogons → the transport's assertCanSetLogons), recorded as that step
 * records it. Null when it could (or the host's logons are not blocked by the rollout), else why not.
 */
async function predictBlock(ctx: RunContext, doc: RolloutStateDoc, h: RolloutHostState, target: HostTarget, scopes: HostScope[]): Promise<string | null> {
  const mode = isBlockedState(h.initialLogons) ? null : logonModeFor(doc.options.blockLogons);
  if (mode === null) return null;
  const scope = new HostScope(ctx, target);
  scopes.push(scope);
  return blockLogons(scope, mode, true);
}

/**
 * The waves a rollout would run, and where it would stop; nothing is changed. Each host of a wave whose logons
 * the real run would block is asked the real run's question first, so a host the real run fails at
 * block-logons (the exec transport and a remote host) fails here too, and the canary and --max-failed rules stop
 * the plan where they would stop the run. What cannot be known in advance (the maintenance, the host coming
 * back) is planned as if it succeeds.
 */
export async function planDryRun(ctx: RunContext, doc: RolloutStateDoc, targets: ReadonlyMap<string, HostTarget>): Promise<RolloutReport> {
  const plan = doc.options;
  const hosts = doc.hosts.map((h) => ({ ...h }));
  const waves: string[][] = [];
  const scopes: HostScope[] = [];
  const budget = budgetOf(hosts.length, plan.maxUnavailable, plan.minServing);
  // As in the real run: a resumed rollout whose waves began has had its canary.
  const canary = plan.canary > 0 && doc.waves.length === 0;
  let stopped: RolloutStop | null = null;
  for (;;) {
    stopped = failureStop(hosts, waves, plan.maxFailed, canary, true);
    const pending = hosts.filter((h) => h.status === 'pending');
    if (stopped || pending.length === 0) break;
    const out = hosts.filter(isOut);
    const cap = canary && waves.length === 0 ? Math.min(plan.canary, plan.maxUnavailable) : plan.maxUnavailable;
    const names = pickWave(pending.map((h) => h.host), new Set(out.map((h) => h.host)), out.length, budget, cap);
    if (names.length === 0) {
      stopped = { reason: 'budget', message: `${out.length} host(s) would be out of service: with --max-unavailable ${plan.maxUnavailable} and --min-serving ${plan.minServing} of ${hosts.length} hosts no further wave can start` };
      break;
    }
    waves.push(names);
    const members = hosts.filter((h) => names.includes(h.host));
    await Promise.all(
      members.map(async (h) => {
        const refused = await predictBlock(ctx, doc, h, targets.get(h.host) ?? { name: h.host, address: h.host }, scopes);
        h.wave = waves.length;
        if (refused !== null) {
          Object.assign(h, { status: 'failed', phase: 'draining', reason: refused });
          return;
        }
        h.status = 'done';
        h.logons = isBlockedState(h.initialLogons) || plan.blockLogons === 'none' ? 'untouched' : 'allowed';
      }),
    );
  }
  return {
    hosts: hosts.map((h) => {
      if (h.status === 'failed') return { host: h.host, status: 'failed' as const, phase: h.phase, reason: h.reason, logons: 'untouched' as const };
      const sessions = h.sessions === null ? 'sessions unknown' : `${h.sessions} session(s)`;
      const logons = isBlockedState(h.initialLogons) ? `, logons ${h.initialLogons} before the rollout (left as they are)` : '';
      return { host: h.host, status: 'pending' as const, phase: 'pending' as const, reason: h.wave === null ? (stopped?.message ?? null) : `wave ${h.wave}: ${sessions}${logons}`, logons: 'untouched' as const };
    }),
    waves,
    actions: scopes.flatMap((s) => s.actions),
    errors: scopes.flatMap((s) => s.errors),
    interrupted: false,
    stopped,
    logonsBlocked: [],
    dryRun: true,
  };
}
