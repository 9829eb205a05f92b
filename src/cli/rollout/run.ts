import { resolve } from 'node:path';
import { createAuditLogWriter } from '../../core/audit.js';
import { createMaintenanceCommand } from '../../core/rollout/maintenance-command.js';
import { createNotifier } from '../../core/rollout/notify.js';
import type { RolloutReport } from '../../core/rollout/types.js';
import type { AuditEvent } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { bool, type Args } from '../args.js';
import { confirmChange } from '../confirm.js';
import { note, outputContext, warn, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { fsReason } from '../fs-reason.js';
import { resolveHostPlan, transportOptionsOf } from '../host-run.js';
import { assertWritable } from '../preflight.js';
import { commandLine, repeatRunOptions, repeatWayOptions, shellWord } from '../recovery-hint.js';
import { renderErrorLines } from '../render.js';
import { EXIT_INTERRUPTED } from '../run-host-command.js';
import { parseRolloutArgs } from './args.js';
import { startRolloutProgress } from './progress.js';
import { renderRollout } from './render.js';

async function prepareLogDir(dir: string): Promise<void> {
  const { mkdir, access, constants } = await import('node:fs/promises');
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new ValidationError('--log-dir', dir, `cannot write --log-dir ${JSON.stringify(dir)}: ${fsReason(error)}; nothing was done`);
  }
}

/** `session-logoff rollout`: validates everything, asks, runs the library's rollout, prints the report. */
export async function runRollout(deps: CliDeps, ctx: CliContext, args: Args): Promise<void> {
  const render = outputContext(deps, ctx, args);
  const parsed = await parseRolloutArgs(ctx, args);
  const plan = await resolveHostPlan(deps, args);
  if (plan.emptyShard) {
    note(deps, ctx, `shard ${plan.emptyShard} has no hosts (the list has fewer hosts than shards): nothing to do`);
    return;
  }
  const hosts = parsed.resumed ? parsed.resumed.hosts.map((h) => h.host) : plan.servers;
  const stateFile = parsed.options.stateFile ?? parsed.options.resumeFrom;
  if (!parsed.dryRun) {
    if (stateFile !== undefined) await assertWritable(deps, parsed.options.resumeFrom ? '--resume' : '--state', stateFile, 'replace');
    if (parsed.reportFile !== undefined) await assertWritable(deps, '--report', parsed.reportFile, 'replace');
    if (parsed.logDir !== undefined) await prepareLogDir(parsed.logDir);
  }
  const what = parsed.resumed ? `Resume the rollout in ${stateFile ?? ''} (${hosts.length} hosts, ${parsed.resumed.hosts.filter((h) => h.status === 'done').length} done)` : `Roll out ${JSON.stringify(parsed.command.join(' '))} over ${hosts.length === 0 ? 'this machine' : `${hosts.length} hosts`}`;
  if (!(await confirmChange(deps, `${what}?`, { yes: bool(args, 'yes'), dryRun: parsed.dryRun }))) {
    deps.stderr.write('session-logoff: nothing done.\n');
    ctx.exitCode = 1;
    return;
  }
  // The library (core, parsers) loads only when a rollout really runs: every other command starts without it.
  const { rollout, rolloutExitCode } = await import('../../core/rollout/index.js');
  const farmStateFile = parsed.farmStateFile === undefined ? undefined : resolve(parsed.farmStateFile);
  const transport = await deps.createTransport(plan.transportName, { ...transportOptionsOf(plan, deps), ...(farmStateFile ? { farmStateFile } : {}) });
  const audit = plan.auditLog ? createAuditLogWriter(plan.auditLog) : undefined;
  const progress = startRolloutProgress(deps, ctx, hosts.length);
  const say = (line: string): void => {
    progress.clear();
    deps.stderr.write(line);
  };
  const notifier = parsed.notifyUrl ? createNotifier(parsed.notifyUrl, { onError: (m) => (progress.clear(), warn(deps, ctx, m)) }) : undefined;
  // The rehearsal's maintenance command finds the farm it may restart hosts of (reboot-cli.js).
  const env = { ...deps.env, ...(farmStateFile ? { SESSION_LOGOFF_FARM_STATE: farmStateFile } : {}) };
  let report: RolloutReport;
  try {
    const maintain = createMaintenanceCommand({ argv: parsed.command, env, output: say, platform: deps.platform, ...(parsed.logDir ? { logDir: parsed.logDir } : {}) });
    report = await rollout({
      ...plan.base,
      ...parsed.options,
      transport,
      maintain,
      ...(parsed.resumed || hosts.length === 0 ? {} : { servers: hosts }),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      onWarning: (message) => (progress.clear(), warn(deps, ctx, message)),
      ...(audit ? { onEvent: (event: AuditEvent) => audit.write(event) } : {}),
      onRolloutEvent: (event) => {
        progress.event(event);
        notifier?.send(event);
      },
      onHostPhase: progress.host,
    }).catch((error: unknown) => {
      throw asInputError(error);
    });
  } finally {
    progress.stop();
    await transport.dispose();
  }
  deps.stdout.write(renderRollout(render, report));
  deps.stderr.write(renderErrorLines(report.errors));
  explain(deps, ctx, report, stateFile, {
    // Pasted as they are, they must reach these hosts the way this run did (issue 12).
    enable: (blocked) => repeatRunOptions(args, plan, blocked, deps.platform),
    resume: (file) => commandLine(shellWord(file, deps.platform), repeatWayOptions({ ...plan, farmStateFile: parsed.farmStateFile }, deps.platform)),
  });
  let failed = false;
  try {
    await audit?.flush();
  } catch (error) {
    failed = true;
    deps.stderr.write(`session-logoff: cannot write --audit-log ${JSON.stringify(plan.auditLog)}: ${fsReason(error)}\n`);
  }
  const lost = (await notifier?.close()) ?? 0;
  if (lost > 0) warn(deps, ctx, `${lost} notification(s) could not be delivered to --notify-url`);
  if (parsed.reportFile !== undefined) {
    try {
      const { writeFile } = await import('node:fs/promises');
      await (deps.writeFile ?? writeFile)(parsed.reportFile, JSON.stringify(report, null, 2) + '\n');
    } catch (error) {
      failed = true;
      deps.stderr.write(`session-logoff: cannot write --report ${JSON.stringify(parsed.reportFile)}: ${fsReason(error)}\n`);
    }
  }
  ctx.exitCode = report.interrupted ? EXIT_INTERRUPTED : failed ? 1 : rolloutExitCode(report);
}

/**
 * The library refuses bad input (a plan that cannot run, an unreadable state file) before changing anything,
 * with its ValidationError. Loaded through a dynamic import, its class may be another instance than ours (a
 * second module graph, as tsx makes in tests): keep it an input error (exit 2) either way.
 */
function asInputError(error: unknown): unknown {
  if (error instanceof ValidationError || !(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; argument?: unknown; value?: unknown };
  if (e.code !== 'ERR_INVALID_ARGUMENT' || typeof e.argument !== 'string') return error;
  return new ValidationError(e.argument, typeof e.value === 'string' ? e.value : '', e.message);
}

/** The options a hint repeats: `enable` for `logons enable` on these hosts, `resume` for `rollout --resume <file>`. */
interface Repeat {
  enable(hosts: readonly string[]): string;
  resume(file: string): string;
}

/** Why it stopped, what stays blocked and how to undo it, how to go on: every command as it can be pasted. */
function explain(deps: CliDeps, ctx: CliContext, report: RolloutReport, stateFile: string | undefined, repeat: Repeat): void {
  if (report.stopped && report.stopped.reason !== 'interrupted') warn(deps, ctx, report.stopped.message);
  if (report.logonsBlocked.length > 0) {
    warn(deps, ctx, `new logons stay blocked on ${report.logonsBlocked.length} host(s) this rollout did not finish; to allow them again: session-logoff logons enable ${repeat.enable(report.logonsBlocked)} --yes`);
  }
  const open = report.hosts.some((h) => h.status === 'pending' || h.status === 'interrupted');
  if (open && stateFile !== undefined && !report.dryRun) note(deps, ctx, `to continue: session-logoff rollout --resume ${repeat.resume(stateFile)} --yes`);
}
