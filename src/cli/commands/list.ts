import type { CommandModule } from 'yargs';
import { bool, type Args } from '../args.js';
import { note, outputContext, type CliContext } from '../context.js';
import { domainNote, hostCount } from './describe.js';
import type { CliDeps } from '../deps.js';
import { resolveHostPlan } from '../host-run.js';
import { EXIT_CODES_EPILOGUE, filterOptions, hostOptions, outputOptions } from '../options.js';
import { renderSessions } from '../render.js';
import { exitCodeOf, runHostCommand } from '../run-host-command.js';
import { parseListFilters } from '../targets.js';
import { REHEARSE_LIST } from '../rehearsal.js';

export function listCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'list',
    aliases: ['ls'],
    describe: 'List the user sessions on one host or many (quser); with filters, what logoff would act on',
    builder: (y) =>
      filterOptions(outputOptions(hostOptions(y)))
        .option('all-sessions', { type: 'boolean', describe: 'Every session incl. services, console and listeners (query session); not with filters' })
        .example('$0 list', 'Sessions on this machine')
        .example('$0 list --state disc --idle-over 1d --servers-file farm.txt', 'What logoff --state disc --idle-over 1d would log off')
        .example('$0 list -s rds01 -s rds02 --format json', 'Two hosts, as JSON')
        .example('$0 list --servers-file farm.txt --concurrency 32', 'A farm, 32 hosts at a time')
        .example(REHEARSE_LIST, 'Rehearse on the example farm that ships with the package')
        .epilogue(EXIT_CODES_EPILOGUE) as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const filters = parseListFilters(args);
      const plan = await resolveHostPlan(deps, args);
      const outcome = await runHostCommand(deps, ctx, plan, (a, options) =>
        a.listSessions({ ...options, ...filters, allSessions: bool(args, 'all-sessions') }),
        { sessions: [], errors: [] },
      );
      const layout = bool(args, 'all-sessions') ? 'query-session' : 'quser';
      deps.stdout.write(renderSessions(render, outcome.report.sessions, { errors: outcome.report.errors }, layout));
      // An empty table prints nothing at all; say why on stderr (as kubectl's "No resources found") so it
      // does not look like a hang or a silent failure. Machine formats already say it ("sessions": []).
      const answered = new Set(outcome.report.errors.map((e) => e.host.toLowerCase())).size < Math.max(plan.servers.length, 1);
      if (render.format === 'table' && outcome.report.sessions.length === 0 && answered && !outcome.interrupted && !plan.emptyShard) {
        const filtered = Object.keys(filters).length > 0;
        note(deps, ctx, filtered ? `no session matched on ${hostCount(plan.servers)}${domainNote(args)}` : `no ${bool(args, 'all-sessions') ? '' : 'user '}sessions on ${hostCount(plan.servers)}`);
      }
      ctx.exitCode = exitCodeOf(outcome);
    },
  };
}
