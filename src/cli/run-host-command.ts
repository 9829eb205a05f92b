import { askFirst, type AskFirst } from './ask-first.js';
import { fsReason } from './fs-reason.js';
import type { AuditEvent, HostErrorRecord, HostRunOptions } from '../core/types.js';
import type { Transport } from '../run/transport.js';
import { loadApi, type CliApi, type CliDeps } from './deps.js';
import { transportOptionsOf, type HostPlan } from './host-run.js';
import { note, warn, type CliContext } from './context.js';
import { startProgress, type Progress } from './progress.js';
import { renderErrorLines } from './render.js';

export const EXIT_INTERRUPTED = 130;

export interface HostCommandOutcome<Report> {
  report: Report;
  api: CliApi;
  interrupted: boolean;
  auditFailed: boolean;
  /** The operator answered no at the prompt: nothing was done (exit 1). */
  declined: boolean;
}

/**
 * Creates the transport (only now: everything was validated), runs one library operation with progress,
 * audit log and Ctrl-C wired in, always disposes the transport, and returns the report. With `ask`, the
 * operation's dry run comes first and its plan is shown and asked about; a yes runs the operation with that
 * plan as `confirmed` (the library acts on it and never more), over the same transport. `progress` takes
 * what an operation reports beyond hosts done (drain's host steps).
 */
export async function runHostCommand<Report extends { errors: readonly HostErrorRecord[]; interrupted?: boolean }>(
  deps: CliDeps,
  ctx: CliContext,
  plan: HostPlan,
  operation: (api: CliApi, options: HostRunOptions, confirmed: Report | undefined, progress: Progress) => Promise<Report>,
  empty: Report,
  ask?: AskFirst<Report>,
): Promise<HostCommandOutcome<Report>> {
  const api = await loadApi(deps);
  if (plan.emptyShard) {
    // The library reads "no servers" as this machine: an empty shard must never reach it, or a CI matrix
    // with more jobs than hosts would drain the runner itself. It is a shard with nothing to do: exit 0.
    note(deps, ctx, `shard ${plan.emptyShard} has no hosts (the list has fewer hosts than shards): nothing to do`);
    return { report: empty, api, interrupted: false, auditFailed: false, declined: false };
  }
  const audit = plan.auditLog ? api.createAuditLogWriter(plan.auditLog) : undefined;
  const transport: Transport = await deps.createTransport(plan.transportName, transportOptionsOf(plan, deps));
  const total = Math.max(plan.servers.length, 1);
  let progress: Progress | undefined;
  try {
    const base: HostRunOptions = {
      ...plan.base,
      transport,
      ...(plan.servers.length > 0 ? { servers: plan.servers } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    };
    let confirmed: Report | undefined;
    if (ask) {
      const asked = await askFirst(deps, ctx, api, base, total, ask);
      if (asked.kind === 'declined') return { report: empty, api, interrupted: false, auditFailed: false, declined: true };
      if (asked.kind === 'nothing') {
        deps.stderr.write(renderErrorLines(asked.plan.errors));
        return { report: asked.plan, api, interrupted: false, auditFailed: false, declined: false };
      }
      confirmed = asked.plan;
    }
    const shown = startProgress(deps, ctx, total);
    progress = shown;
    const options: HostRunOptions = {
      ...base,
      onProgress: shown.update,
      // E.g. "rds01: 2 Active session(s) … will be logged off without warning": stderr, silenced by --quiet.
      onWarning: (message: string) => {
        shown.clear();
        warn(deps, ctx, message);
      },
      ...(audit ? { onEvent: (event: AuditEvent) => audit.write(event) } : {}),
    };
    const report = await operation(api, options, confirmed, shown);
    shown.stop();
    deps.stderr.write(renderErrorLines(report.errors));
    let auditFailed = false;
    try {
      await audit?.flush();
    } catch (error) {
      // The changes happened but their record did not: say so loudly and fail the run.
      auditFailed = true;
      deps.stderr.write(`session-logoff: cannot write --audit-log ${JSON.stringify(plan.auditLog)}: ${fsReason(error)}\n`);
    }
    return { report, api, interrupted: report.interrupted === true || deps.signal?.aborted === true, auditFailed, declined: false };
  } finally {
    progress?.stop();
    await transport.dispose();
  }
}

/** 130 when interrupted, else the library's verdict; a lost audit record is a failure too. */
export function exitCodeOf(outcome: { report: unknown; api: CliApi; interrupted: boolean; auditFailed: boolean }): number {
  if (outcome.interrupted) return EXIT_INTERRUPTED;
  return outcome.auditFailed ? 1 : outcome.api.exitCodeFor(outcome.report);
}
