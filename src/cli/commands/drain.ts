import { fsReason } from '../fs-reason.js';
import { assertWritable } from '../preflight.js';
import type { CommandModule } from 'yargs';
import type { BlockLogonsMode, DrainOptions, DrainReport } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { assertMessageText, MAX_WAIT_MS, parseDuration } from '../../validate.js';
import { bool, str, type Args } from '../args.js';
import { mustAsk } from '../confirm.js';
import { outputContext, warn, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { resolveHostPlan } from '../host-run.js';
import { changeOptions, EXIT_CODES_EPILOGUE, hostOptions, outputOptions } from '../options.js';
import { drainPlan } from '../plan-view.js';
import { repeatRunOptions } from '../recovery-hint.js';
import { renderActions } from '../render.js';
import { exitCodeOf, runHostCommand } from '../run-host-command.js';
import { hostCount } from './describe.js';
import { REHEARSE_DRAIN } from '../rehearsal.js';

const MODES: readonly BlockLogonsMode[] = ['drain', 'until-restart', 'none'];

export function drainCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'drain',
    describe: 'Block new logons, warn, wait, log off what is left and verify each host is empty',
    builder: (y) =>
      changeOptions(outputOptions(hostOptions(y)))
        .option('block-logons', { type: 'string', requiresArg: true, choices: MODES, default: 'drain', describe: 'change logon /drain, /drainuntilrestart, or leave logons alone' })
        .option('message', { alias: 'm', type: 'string', requiresArg: true, describe: 'Warning text (default names the deadline)' })
        .option('title', { type: 'string', requiresArg: true, describe: 'Title of the warning box with the WTS source (default session-logoff)' })
        .option('grace', { type: 'string', requiresArg: true, default: '10m', describe: 'Time users get before the logoff; at most 24h' })
        .option('remind-every', { type: 'string', requiresArg: true, describe: 'Repeat the warning this often during the grace period; 1s to 24h' })
        .option('late-notice', { type: 'string', requiresArg: true, describe: 'Least wait after warning a user who reconnected (default 1m); at most 24h' })
        .option('verify-timeout', { type: 'string', requiresArg: true, describe: 'How long to re-query until the host is empty; at most 24h' })
        .option('report', { type: 'string', requiresArg: true, describe: 'Also write the JSON report to this file' })
        .example(REHEARSE_DRAIN, 'Rehearse a drain on the example farm, no Windows needed')
        .example('$0 drain --servers-file farm.txt --shard 2/4 --grace 15m --yes --report drain-2.json', 'One CI matrix job of four')
        .example('$0 drain -s rds01 --transport powershell --remind-every 5m --dry-run', 'Show the plan only')
        .epilogue(`Exit 0 only when every host was verified empty. ${EXIT_CODES_EPILOGUE}`) as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const options: Partial<DrainOptions> = {};
      const mode = (str(args, 'block-logons') ?? 'drain') as BlockLogonsMode;
      if (!MODES.includes(mode)) throw new ValidationError('--block-logons', mode, `invalid --block-logons "${mode}": expected drain, until-restart or none`);
      options.blockLogons = mode;
      const message = str(args, 'message');
      if (message !== undefined) options.message = assertMessageText(message, '--message');
      // Every wait is at most 24 h (MAX_WAIT_MS says why); past 24.8 days setTimeout would fire at once.
      options.graceMs = parseDuration(str(args, 'grace') ?? '10m', '--grace', { max: MAX_WAIT_MS });
      const remind = str(args, 'remind-every');
      if (remind !== undefined) options.remindEveryMs = parseDuration(remind, '--remind-every', { max: MAX_WAIT_MS });
      if (options.remindEveryMs === 0) throw new ValidationError('--remind-every', '0', 'invalid --remind-every "0": expected at least 1 second');
      const lateNotice = str(args, 'late-notice');
      if (lateNotice !== undefined) options.lateNoticeMs = parseDuration(lateNotice, '--late-notice', { max: MAX_WAIT_MS });
      const verify = str(args, 'verify-timeout');
      if (verify !== undefined) options.verifyTimeoutMs = parseDuration(verify, '--verify-timeout', { max: MAX_WAIT_MS });
      const reportFile = str(args, 'report');
      if (reportFile === '') throw new ValidationError('--report', '', 'invalid --report "": expected a file path');
      const dryRun = bool(args, 'dry-run');
      if (dryRun) options.dryRun = true;
      const plan = await resolveHostPlan(deps, args);
      if (reportFile !== undefined) await assertWritable(deps, '--report', reportFile, 'replace');
      const grace = str(args, 'grace') ?? '10m';
      const ask = mustAsk(deps, `Drain ${hostCount(plan.servers)} (block logons: ${mode}, grace ${grace})?`, { yes: bool(args, 'yes'), dryRun });
      const outcome = await runHostCommand<DrainReport>(
        deps,
        ctx,
        plan,
        (a, base, confirmed, progress) => a.drain({ ...base, ...options, onHostPhase: progress.phase, ...(confirmed ? { plan: confirmed } : {}) }),
        { hosts: [], actions: [], errors: [], interrupted: false },
        ask ? { dryRun: (a, base) => a.drain({ ...base, ...options, dryRun: true }), show: (p) => drainPlan(p, { servers: plan.servers, mode, grace, graceMs: options.graceMs ?? 0 }) } : undefined,
      );
      if (outcome.declined) {
        ctx.exitCode = 1;
        return;
      }
      deps.stdout.write(renderActions(render, outcome.report));
      if (outcome.interrupted) noteStillBlocked(deps, ctx, outcome.report, (hosts) => repeatRunOptions(args, plan, hosts, deps.platform));
      ctx.exitCode = exitCodeOf(outcome);
      if (reportFile !== undefined) {
        try {
          await writeReport(deps, reportFile, outcome.report);
        } catch (error) {
          // The drain happened; losing its report file is a failure, but the report is on stdout already.
          deps.stderr.write(`session-logoff: cannot write --report ${JSON.stringify(reportFile)}: ${fsReason(error)}\n`);
          if (ctx.exitCode === 0) ctx.exitCode = 1;
        }
      }
    },
  };
}

/**
 * An interrupted drain has blocked logons on hosts it never emptied: they stay closed to new users until
 * someone allows them again, so the operator is told which and how (kubectl's drain leaves cordons too).
 */
function noteStillBlocked(deps: CliDeps, ctx: CliContext, report: DrainReport, repeat: (hosts: readonly string[]) => string): void {
  const notDrained = new Set(report.hosts.filter((h) => h.status !== 'drained').map((h) => h.host.toLowerCase()));
  const blocked = [...new Set(report.actions.filter((a) => a.action === 'block-logons' && a.status === 'done' && notDrained.has(a.host.toLowerCase())).map((a) => a.host))];
  if (blocked.length === 0) return;
  // Pasted as it is, it must reach these hosts the way the drain did: every host named, transport and farm repeated.
  warn(deps, ctx, `new logons stay blocked on ${blocked.length} host(s) that were not drained; to allow them again: session-logoff logons enable ${repeat(blocked)} --yes`);
}

async function writeReport(deps: CliDeps, file: string, report: unknown): Promise<void> {
  const text = JSON.stringify(report, null, 2) + '\n';
  if (deps.writeFile) return deps.writeFile(file, text);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, text);
}
