import type { CommandModule } from 'yargs';
import type { ActionReport, LogoffOptions } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { assertMessageText, assertWarningWait, MAX_WAIT_MS, parseDuration } from '../../validate.js';
import { bool, str, type Args } from '../args.js';
import { mustAsk } from '../confirm.js';
import { outputContext, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { resolveHostPlan } from '../host-run.js';
import { changeOptions, EXIT_CODES_EPILOGUE, hostOptions, outputOptions, targetOptions } from '../options.js';
import { logoffPlan } from '../plan-view.js';
import { renderActions } from '../render.js';
import { exitCodeOf, runHostCommand } from '../run-host-command.js';
import { describeSelection, hostCount, noteNothingMatched } from './describe.js';
import { parseSelection } from '../targets.js';

export function logoffCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'logoff [targets..]',
    describe: 'Log off sessions by id, name or filter (never services, console, listeners or yourself)',
    builder: (y) =>
      changeOptions(outputOptions(hostOptions(targetOptions(y))))
        .option('message', { alias: 'm', type: 'string', requiresArg: true, describe: 'Warn Active sessions first with this text (needs --grace)' })
        .option('title', { type: 'string', requiresArg: true, describe: 'Title of the warning box with the WTS source (default session-logoff)' })
        .option('grace', { type: 'string', requiresArg: true, describe: 'Needed with --message: the wait before logoff, e.g. 5m (0: none); at most 24h' })
        .option('late-notice', { type: 'string', requiresArg: true, describe: 'Least wait after warning a target that reconnected (default 1m); at most 24h' })
        .example('$0 logoff 12 -s rds01', 'Log off session 12 on rds01')
        .example('$0 logoff --state disconnected --idle-over 2h -s rds01 --yes', 'Clean up old disconnected sessions')
        .example('$0 logoff --user jdoe -s rds01 --message "Saving your work? Logoff in 5 minutes" --grace 5m', 'Warn first, then log off')
        .example('$0 logoff --all --servers-file farm.txt --dry-run', 'Show what --all would do')
        .example('$0 12 /server:rds01 /v', 'logoff.exe syntax works too')
        .epilogue(EXIT_CODES_EPILOGUE) as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const { selection, isMass } = parseSelection(args);
      const options: Partial<LogoffOptions> = { ...selection };
      const message = str(args, 'message');
      if (message !== undefined) options.message = assertMessageText(message, '--message');
      const grace = str(args, 'grace');
      if (grace !== undefined) options.graceMs = parseDuration(grace, '--grace', { max: MAX_WAIT_MS });
      assertWarningWait(options.message, options.graceMs, { message: '--message', grace: '--grace' });
      const lateNotice = str(args, 'late-notice');
      if (lateNotice !== undefined) {
        if (options.message === undefined) throw new ValidationError('--late-notice', lateNotice, 'invalid --late-notice: it is the wait after a late warning; pass --message and --grace too');
        options.lateNoticeMs = parseDuration(lateNotice, '--late-notice', { max: MAX_WAIT_MS });
      }
      const dryRun = bool(args, 'dry-run');
      if (dryRun) options.dryRun = true;
      const plan = await resolveHostPlan(deps, args);
      // A session id means a different user on every host: one id across several hosts is a mass change.
      const what = `${describeSelection(args)} on ${hostCount(plan.servers)}`;
      const ask = (isMass || plan.servers.length > 1) && mustAsk(deps, `Log off ${what}?`, { yes: bool(args, 'yes'), dryRun });
      const outcome = await runHostCommand<ActionReport>(
        deps,
        ctx,
        plan,
        (a, base, confirmed) => a.logoff({ ...base, ...options, ...(confirmed ? { plan: confirmed } : {}) }),
        { actions: [], errors: [], interrupted: false },
        ask ? { dryRun: (a, base) => a.logoff({ ...base, ...options, dryRun: true }), show: (p) => logoffPlan(p, { what, grace: options.message === undefined ? null : (grace ?? '0') }) } : undefined,
      );
      if (outcome.declined) {
        ctx.exitCode = 1;
        return;
      }
      deps.stdout.write(renderActions(render, outcome.report));
      if (!selection.targets && !plan.emptyShard) noteNothingMatched(deps, ctx, outcome.report, plan.servers, 'log off', args);
      ctx.exitCode = exitCodeOf(outcome);
    },
  };
}
