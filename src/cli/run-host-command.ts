import { fsReason } from './fs-reason.js';
import type { AuditEvent, HostErrorRecord, HostRunOptions, ProgressEvent } from '../core/types.js';
import type { Transport } from '../run/transport.js';
import { loadApi, type CliApi, type CliDeps } from './deps.js';
import type { HostPlan } from './host-run.js';
import { warn, type CliContext } from './context.js';
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
): Promise<{ report: Report; api: CliApi; interrupted: boolean; auditFailed: boolean }> {
  const api = await loadApi(deps);
  const audit = plan.auditLog ? api.createAuditLogWriter(plan.auditLog) : undefined;
  const transport: Transport = await deps.createTransport(plan.transportName, {
    ...(plan.farmFile ? { farmFile: plan.farmFile } : {}),
    platform: deps.platform,
    env: deps.env,
  });
  const progress = createProgress(deps, ctx);
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
    progress.clear();
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
    progress.clear();
    await transport.dispose();
  }
}

/** Hosts done / total and failures so far, on stderr, only on a terminal and without --quiet. */
function createProgress(deps: CliDeps, ctx: CliContext): { update: (p: ProgressEvent) => void; clear: () => void } {
  if (!deps.isTTY.stderr || ctx.quiet) return { update: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    update: (p) => {
      shown = true;
      deps.stderr.write(`\r\u001b[K${p.done}/${p.total} hosts done${p.failed > 0 ? `, ${p.failed} failed` : ''}`);
    },
    clear: () => {
      if (shown) deps.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}

/** 130 when interrupted, else the library's verdict; a lost audit record is a failure too. */
export function exitCodeOf(outcome: { report: unknown; api: CliApi; interrupted: boolean; auditFailed: boolean }): number {
  if (outcome.interrupted) return EXIT_INTERRUPTED;
  return outcome.auditFailed ? 1 : outcome.api.exitCodeFor(outcome.report);
}
