import type { CommandModule } from 'yargs';
import type { LogonsOptions, LogonsReport } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import type { LogonMode } from '../../run/transport.js';
import { bool, str, type Args } from '../args.js';
import { mustAsk } from '../confirm.js';
import { outputContext, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { resolveHostPlan } from '../host-run.js';
import { changeOptions, EXIT_CODES_EPILOGUE, hostOptions, outputOptions } from '../options.js';
import { logonsPlan } from '../plan-view.js';
import { renderActions, renderLogonStates } from '../render.js';
import { exitCodeOf, runHostCommand } from '../run-host-command.js';
import { hostCount } from './describe.js';
import { expiredOption, recordAllowed, selectExpired } from '../rollout/expired.js';

const ACTIONS = ['status', 'drain', 'drain-until-restart', 'disable', 'enable'] as const;

export function logonsCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return logonsModule(deps, ctx);
}

/** `cordon`: `logons drain` under kubectl's name for it. */
export function cordonCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return logonsModule(deps, ctx, { name: 'cordon', action: 'drain', what: 'block new logons, allow reconnections' });
}

/** `uncordon`: `logons enable` under kubectl's name for it. */
export function uncordonCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return logonsModule(deps, ctx, { name: 'uncordon', action: 'enable', what: 'allow new logons again' });
}

interface FixedAction {
  name: 'cordon' | 'uncordon';
  action: 'drain' | 'enable';
  what: string;
}

/** `logons <action>`, or one of its actions under its own name (same options, same rules). */
function logonsModule(deps: CliDeps, ctx: CliContext, fixed?: FixedAction): CommandModule<object, Args> {
  const options = (y: Parameters<typeof hostOptions>[0]) => expiredOption(changeOptions(outputOptions(hostOptions(y))));
  return {
    command: fixed ? fixed.name : 'logons <action>',
    describe: fixed ? `Same as logons ${fixed.action}: ${fixed.what}` : 'Show, block or allow new logons (change logon): cordon / uncordon for session hosts',
    builder: (y) =>
      (fixed
        ? options(y)
            .example(`$0 ${fixed.name} -s rds01 --transport powershell --yes`, `logons ${fixed.action} on rds01`)
            .example(`$0 ${fixed.name} --servers-file farm.txt --transport powershell --dry-run`, 'Show the plan only')
        : options(y)
            .positional('action', { type: 'string', choices: ACTIONS, describe: 'status, or the change to make' })
            .example('$0 logons status --servers-file farm.txt', 'Which hosts accept new logons')
            .example('$0 logons drain -s rds01 --transport powershell --yes', 'Block new logons, allow reconnections (also: cordon)')
            .example('$0 logons enable -s rds01 --transport powershell --yes', 'Allow logons again after maintenance (also: uncordon)')
            .example('$0 logons enable --expired rollout.json --transport powershell --yes', 'Allow logons where a rollout forgot them')
      ).epilogue(EXIT_CODES_EPILOGUE) as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const action = fixed ? fixed.action : (str(args, 'action') ?? '');
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new ValidationError('action', action, `invalid logons action ${JSON.stringify(action)}: expected ${ACTIONS.join(', ')}`);
      }
      const options: Partial<LogonsOptions> = {};
      if (action !== 'status') options.mode = action as LogonMode;
      const dryRun = bool(args, 'dry-run');
      if (dryRun) options.dryRun = true;
      // A rollout's forgotten drains: exactly the hosts past their lease (or nothing to do).
      if (!(await selectExpired(deps, ctx, args))) return;
      const plan = await resolveHostPlan(deps, args);
      const ask = options.mode !== undefined && mustAsk(deps, `Set logons to ${action} on ${hostCount(plan.servers)}?`, { yes: bool(args, 'yes'), dryRun });
      const outcome = await runHostCommand<LogonsReport>(
        deps,
        ctx,
        plan,
        (a, base, confirmed) => a.logons({ ...base, ...options, ...(confirmed ? { plan: confirmed } : {}) }),
        { hosts: [], actions: [], errors: [], interrupted: false },
        ask ? { dryRun: (a, base) => a.logons({ ...base, ...options, dryRun: true }), show: (p) => logonsPlan(p, action) } : undefined,
      );
      if (outcome.declined) {
        ctx.exitCode = 1;
        return;
      }
      deps.stdout.write(options.mode ? renderActions(render, outcome.report) : renderLogonStates(render, outcome.report));
      if (options.mode === 'enable' && !dryRun) await recordAllowed(args, outcome.report.actions);
      ctx.exitCode = exitCodeOf(outcome);
    },
  };
}
