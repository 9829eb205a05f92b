import { fsReason } from './fs-reason.js';
import type { AuditEvent, HostErrorRecord, HostRunOptions } from '../core/types.js';
import type { Transport } from '../run/transport.js';
import { loadApi, type CliApi, type CliDeps } from './deps.js';
import type { HostPlan } from './host-run.js';
import { note, warn, type CliContext } from './context.js';
import { startProgress } from './progress.js';
import { renderErrorLines } from './render.js';

export const EXIT_INTERRUPTED = 130;

/**
 * Creates the transport (only now: everything was validated), runs one library operation with progress,
 * audit log and Ctrl-C wired in, always disposes the transport, and returns the report.
 */
export async function runHostCommand<Report extends { errors: readonly HostErrorRecord[]; interrupted?: boolean }>(
  deps: CliDeps,
  ctx: CliContext,
  plan: HostPlan,
  operation: (api: CliApi, options: HostRunOptions) => Promise<Report>,
  empty: Report,
): Promise<{ report: Report; api: CliApi; interrupted: boolean; auditFailed: boolean }> {
  const api = await loadApi(deps);
  if (plan.emptyShard) {
    // The library reads "no servers" as this machine: an empty shard must never reach it, or a CI matrix
    // with more jobs than hosts would drain the runner itself. It is a shard with nothing to do: exit 0.
    note(deps, ctx, `shard ${plan.emptyShard} has no hosts (the list has fewer hosts than shards): nothing to do`);
    return { report: empty, api, interrupted: false, auditFailed: false };
  }
  const audit = plan.auditLog ? api.createAuditLogWriter(plan.auditLog) : undefined;
  const transport: Transport = await deps.createTransport(plan.transportName, {
    ...(plan.farmFile ? { farmFile: plan.farmFile } : {}),
    source: plan.source,
    platform: deps.platform,
    env: deps.env,
    ...(plan.base.concurrency === undefined ? {} : { concurrency: plan.base.concurrency }),
  });
  const progress = startProgress(deps, ctx, Math.max(plan.servers.length, 1));
  try {
    const options: HostRunOptions = {
      ...plan.base,
      transport,
      onProgress: progress.update,
      // E.g. "rds01: 2 Active session(s) … will be logged off without warning": stderr, silenced by --quiet.
      onWarning: (message: string) => {
        progress.clear();
        warn(deps, ctx, message);
      },
      ...(plan.servers.length > 0 ? { servers: plan.servers } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(audit ? { onEvent: (event: AuditEvent) => audit.write(event) } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    };
    const report = await operation(api, options);
    progress.stop();
    deps.stderr.write(renderErrorLines(report.errors));
    let auditFailed = false;
    try {
      await audit?.flush();
    } catch (error) {
      // The changes happened but their record did not: say so loudly and fail the run.
      auditFailed = true;
      deps.stderr.write(`session-logoff: cannot write --audit-log ${JSON.stringify(plan.auditLog)}: ${fsReason(error)}\n`);
    }
    return { report, api, interrupted: report.interrupted === true || deps.signal?.aborted === true, auditFailed };
  } finally {
    progress.stop();
    await transport.dispose();
  }
}

/** 130 when interrupted, else the library's verdict; a lost audit record is a failure too. */
export function exitCodeOf(outcome: { report: unknown; api: CliApi; interrupted: boolean; auditFailed: boolean }): number {
  if (outcome.interrupted) return EXIT_INTERRUPTED;
  return outcome.auditFailed ? 1 : outcome.api.exitCodeFor(outcome.report);
}
