import type { Argv } from 'yargs';

const HOST_GROUP = 'Hosts:';
const OUTPUT_GROUP = 'Output:';
const RUN_GROUP = 'Run:';

// Repeatable options are plain strings (yargs collects repeats into an array): `array: true` would be
// greedy and swallow following positionals, so `-s srv1 12` would read 12 as a host.

/** Options every command that reaches hosts shares. Values stay strings: src/cli validates them itself. */
export function hostOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('server', { alias: 's', type: 'string', requiresArg: true, group: HOST_GROUP, describe: 'Host to act on (repeatable); none = this machine' })
    .option('servers-file', { type: 'string', requiresArg: true, group: HOST_GROUP, describe: 'File with one host per line (# comments); - reads stdin' })
    .option('shard', { type: 'string', requiresArg: true, group: HOST_GROUP, describe: 'Take only shard k of n of the host list, e.g. 2/4 (CI matrix)' })
    .option('concurrency', { type: 'string', requiresArg: true, group: RUN_GROUP, describe: 'Hosts in flight at once: 1 to 256', default: '16', defaultDescription: '16' })
    .option('timeout', { type: 'string', requiresArg: true, group: RUN_GROUP, describe: 'Per host operation: 90 (seconds), 30s, 5m; 1s to 24h', default: '30s' })
    .option('retries', { type: 'string', requiresArg: true, group: RUN_GROUP, describe: 'Extra attempts when a host is unreachable (RPC unavailable)' })
    // No yargs default: --farm alone must be able to choose simulated (host-run.ts transportOf).
    .option('transport', { type: 'string', requiresArg: true, choices: ['exec', 'powershell', 'simulated'], group: RUN_GROUP, describe: 'How hosts are reached', defaultDescription: 'exec; simulated with --farm' })
    .option('farm', { type: 'string', requiresArg: true, group: RUN_GROUP, describe: 'Rehearse on a farm description (JSON; implies --transport simulated); "example": the one shipped' })
    .option('source', { type: 'string', requiresArg: true, choices: ['auto', 'wts', 'text'], group: RUN_GROUP, describe: 'How sessions are read: the WTS API (powershell transport) or quser/qwinsta text; auto = WTS where the shell can use it', default: 'auto' })
    .option('audit-log', { type: 'string', requiresArg: true, group: RUN_GROUP, describe: 'Append one JSON line per change made to a host' });
}

export function outputOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('format', { alias: 'o', type: 'string', requiresArg: true, choices: ['table', 'json', 'ndjson', 'csv'], group: OUTPUT_GROUP, describe: 'Output format', default: 'table' })
    .option('json', { type: 'boolean', group: OUTPUT_GROUP, describe: 'Shorthand for --format json' })
    .option('quiet', { alias: 'q', type: 'boolean', group: OUTPUT_GROUP, describe: 'No progress, notes or warnings on stderr (errors still print)' })
    .option('verbose', { type: 'boolean', group: OUTPUT_GROUP, describe: 'Also print each command run (exit code, time), each host\'s time, the line behind a parse issue, error details' });
}

export function changeOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('dry-run', { alias: 'n', type: 'boolean', group: RUN_GROUP, describe: 'Show the plan; change nothing' })
    .option('yes', { alias: 'y', type: 'boolean', group: RUN_GROUP, describe: 'Do not ask for confirmation (required when not on a terminal)' });
}

const TARGET_GROUP = 'Targets (ids, names and --self, or filters and --all; never both):';
const FILTER_GROUP = 'Filters (AND-ed; show what logoff with the same filters would act on):';

/** The filters list, logoff and message share: one definition, so they cannot drift apart. */
export function filterOptions<T>(y: Argv<T>, group = FILTER_GROUP): Argv<T> {
  return y
    .option('user', { alias: 'u', type: 'string', requiresArg: true, group, describe: 'Whole user name, case-insensitive, * and ? allowed' })
    .option('state', { type: 'string', requiresArg: true, group, describe: 'State as quser prints it or by name, any case: disc, Active (repeatable, or comma-separated)' })
    .option('idle-over', { type: 'string', requiresArg: true, group, describe: 'Idle longer than, with a unit (quser counts minutes): 30m, 2h, 1d' });
}

export function targetOptions<T>(y: Argv<T>): Argv<T> {
  return filterOptions(y.positional('targets', { type: 'string', array: true, describe: 'Session ids or session names' }), TARGET_GROUP)
    .option('all', { type: 'boolean', group: TARGET_GROUP, describe: 'Every user session (never services, console, listeners or yours)' })
    .option('self', { type: 'boolean', group: TARGET_GROUP, describe: 'Your own session (an explicit target, like an id)' });
}

export const EXIT_CODES_EPILOGUE =
  'Exit codes: 0 done, 1 failed on some host (incl. not-found, refused) or answered no at the prompt, 2 invalid input (nothing ran), 130 interrupted (143 SIGTERM, 129 SIGHUP).';
