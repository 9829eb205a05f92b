import type { SessionRecord } from '../types.js';
import { ValidationError } from '../errors.js';
import { assertMessageText, assertMilliseconds } from '../validate.js';
import type { HostScope } from './scope.js';
import { blockLogons, defaultDrainMessage, DRAIN_DEFAULTS, logonModeFor, partition, verifyEmpty } from './drain-steps.js';
import { DEFAULT_LATE_NOTICE_MS, warnWaitLogoff } from './grace.js';
import { normalizeHosts } from './hosts.js';
import { queryHost } from './query.js';
import { collect, runHosts } from './run.js';
import { plannedAction, unplannedHost } from './plan.js';
import { logoffSession } from './steps.js';
import type { BlockLogonsMode, DrainHostPhase, DrainHostReport, DrainOptions, DrainReport, DrainStep } from './types.js';

const BLOCK_MODES: readonly BlockLogonsMode[] = ['drain', 'until-restart', 'none'];

/**
 * Drains every host, each on its own: block new logons, list user sessions, warn the Active ones (repeating
 * every `remindEveryMs`), wait `graceMs` or until nobody is left, log off the rest by id, then re-query until
 * the host is verifiably empty. Each user's deadline counts from their own warning; a user seen Active later
 * who was never warned (reconnected) is warned then and gets at least `lateNoticeMs` (grace.ts). A host is
 * `drained` only when verified empty; otherwise `failed` with the reason and the sessions left. The console
 * session and the caller's own session are never logged off: they are `refused`, and a host they remain on
 * is failed (not empty). `dryRun` plans every step and changes nothing.
 * @example
 * const report = await drain({ servers: ['rds01', 'rds02'], transport, graceMs: 600_000, remindEveryMs: 120_000 });
 * if (exitCodeFor(report) !== 0) console.error(report.hosts.filter((h) => h.status !== 'drained'));
 */
export async function drain(options: DrainOptions): Promise<DrainReport> {
  if (options.message !== undefined) assertMessageText(options.message, 'message');
  // Anything but these would read as 'none': everyone logged off while new logons stay open.
  if (options.blockLogons !== undefined && !(BLOCK_MODES as readonly unknown[]).includes(options.blockLogons)) {
    throw new ValidationError('blockLogons', String(options.blockLogons), `invalid blockLogons ${JSON.stringify(String(options.blockLogons))}: expected ${BLOCK_MODES.join(', ')}`);
  }
  for (const key of ['graceMs', 'remindEveryMs', 'lateNoticeMs', 'pollIntervalMs', 'verifyTimeoutMs'] as const) assertMilliseconds(options[key], key);
  normalizeHosts(options.servers);
  const reports = new Map<HostScope, DrainHostReport>();
  const run = await runHosts(options, async (scope) => {
    const phase = scope.ctx.guard<DrainHostPhase>('onHostPhase', options.onHostPhase);
    const say: Say = (step, sessionsLeft = null, until = null) => phase({ host: scope.host.name, step, sessionsLeft, until: until === null ? null : new Date(until).toISOString() });
    try {
      const report = await drainHost(scope, options, say);
      reports.set(scope, report);
      phase({ host: scope.host.name, step: 'done', sessionsLeft: null, until: null, status: report.status });
    } catch (error) {
      reports.set(scope, { host: scope.host.name, status: 'failed', reason: error instanceof Error ? error.message : String(error), sessionsLeft: [] });
      phase({ host: scope.host.name, step: 'done', sessionsLeft: null, until: null, status: 'failed' });
      throw error;
    }
  });
  const hosts = run.scopes.map(
    (s) => reports.get(s) ?? { host: s.host.name, status: 'interrupted' as const, reason: 'not started: the run was interrupted', sessionsLeft: [] },
  );
  return { ...collect(run), hosts };
}

type Say = (step: DrainStep, sessionsLeft?: number | null, until?: number | null) => void;

async function drainHost(scope: HostScope, options: DrainOptions, say: Say): Promise<DrainHostReport> {
  const { ctx, host } = scope;
  const graceMs = options.graceMs ?? DRAIN_DEFAULTS.graceMs;
  const pollMs = options.pollIntervalMs ?? DRAIN_DEFAULTS.pollIntervalMs;
  const report = (status: DrainHostReport['status'], reason: string | null, sessionsLeft: SessionRecord[] = []): DrainHostReport => ({ host: host.name, status, reason, sessionsLeft });
  const interrupted = (): DrainHostReport => report('interrupted', 'the run was interrupted');

  const unplanned = unplannedHost(scope, options.plan);
  if (unplanned !== null) return report('failed', unplanned);
  const mode = logonModeFor(options.blockLogons ?? DRAIN_DEFAULTS.blockLogons);
  if (mode) {
    say('blocking');
    const blocked = await blockLogons(scope, mode, options.dryRun === true);
    if (blocked !== null) return report(ctx.signal?.aborted ? 'interrupted' : 'failed', blocked);
  }

  say('listing');
  const listed = await queryHost(ctx, host, 'quser');
  if (!listed.ok) {
    scope.fail(listed.failure);
    return listed.failure.code === 'ERR_ABORTED' ? interrupted() : report('failed', listed.failure.message);
  }
  const { targets, protectedOnes } = partition(listed.sessions);
  const start = ctx.now().getTime();

  if (options.dryRun) {
    for (const s of targets) {
      if (graceMs > 0 && s.state === 'Active') scope.act(plannedAction(s, 'message'));
      scope.act(plannedAction(s, 'logoff'));
    }
    for (const p of protectedOnes) scope.act({ sessionId: p.session.id, username: p.session.username, action: 'logoff', status: 'refused', reason: p.reason });
    scope.act({ sessionId: null, username: null, action: 'verify', status: 'planned', reason: null });
    if (protectedOnes.length > 0) return report('failed', 'the host cannot be emptied: ' + protectedOnes.map((p) => p.reason).join('; '), protectedOnes.map((p) => p.session));
    return report('planned', null);
  }

  if (graceMs > 0 && targets.length > 0) {
    const text = (deadline: Date, now: Date): string => options.message ?? defaultDrainMessage(deadline, now);
    const lateNoticeMs = options.lateNoticeMs ?? DEFAULT_LATE_NOTICE_MS;
    const outcome = await warnWaitLogoff(scope, targets, start, { graceMs, lateNoticeMs, pollMs, remindEveryMs: options.remindEveryMs, text, phase: say });
    if (outcome.status === 'interrupted') return report('interrupted', 'the run was interrupted', outcome.left);
    if (outcome.status === 'failed') return report('failed', outcome.reason);
  } else {
    // No grace: nobody is warned or waited for; what the listing showed is logged off now.
    if (targets.length > 0) say('logging-off', targets.length);
    for (const p of protectedOnes) scope.act({ sessionId: p.session.id, username: p.session.username, action: 'logoff', status: 'refused', reason: p.reason });
    for (let i = 0; i < targets.length; i++) {
      if (ctx.signal?.aborted) {
        // Every session the drain meant to log off is in the report, also the ones it never reached.
        const left = targets.slice(i);
        for (const s of left) scope.act({ sessionId: s.id, username: s.username, action: 'logoff', status: 'skipped', reason: 'not logged off: the run was interrupted' });
        return report('interrupted', 'the run was interrupted', left);
      }
      await logoffSession(scope, targets[i] as SessionRecord);
    }
  }

  say('verifying');
  const verified = await verifyEmpty(scope, options.verifyTimeoutMs ?? DRAIN_DEFAULTS.verifyTimeoutMs, pollMs);
  if ('interrupted' in verified) return interrupted();
  if (verified.empty) {
    scope.act({ sessionId: null, username: null, action: 'verify', status: 'done', reason: 'no user session left' });
    return report('drained', null);
  }
  scope.act({ sessionId: null, username: null, action: 'verify', status: 'failed', reason: verified.reason });
  return report('failed', verified.reason, verified.left);
}
