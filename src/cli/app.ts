import { readFileSync } from 'node:fs';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { completionCommand, filterCompletions, YARGS_COMPLETION_COMMAND } from './commands/completion.js';
import { drainCommand } from './commands/drain.js';
import { listCommand } from './commands/list.js';
import { logoffCommand } from './commands/logoff.js';
import { cordonCommand, logonsCommand, uncordonCommand } from './commands/logons.js';
import { messageCommand } from './commands/message.js';
import { parseCommand } from './commands/parse.js';
import { reportCommand } from './commands/report.js';
import { rolloutCommand } from './commands/rollout.js';
import type { Args } from './args.js';
import type { CliContext } from './context.js';
import type { CliDeps } from './deps.js';
import { assertOptionValues, assertSwitchValues, switchOptionNames, valueOptionNames } from './option-values.js';
import { REHEARSE_DRAIN } from './rehearsal.js';
import { EXIT_CODES_EPILOGUE } from './options.js';

/** Thrown by yargs' fail handler: a usage error (exit 2), as opposed to a failure while running. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A command whose builder also refuses option-like values after its value options (`--server -help`),
 * using the option table the builder just made, before yargs reads `-help` as `-h` and prints help.
 * Not while the shell asks for completions: the line is half typed then.
 */
function checkedValues(module: CommandModule<object, Args>, ctx: CliContext): CommandModule<object, Args> {
  const { builder } = module;
  if (typeof builder !== 'function') return module;
  return {
    ...module,
    builder: (y) => {
      const built = builder(y) as Argv;
      if (!ctx.argv.includes(COMPLETIONS_FLAG)) {
        const valueOptions = valueOptionNames(built);
        assertOptionValues(ctx.argv, valueOptions);
        assertSwitchValues(ctx.argv, switchOptionNames(built), valueOptions);
      }
      return built as never;
    },
  };
}

/** yargs' complaint when no command was named (main.ts turns it into a typo hint for `--verison`). */
export const DEMAND_COMMAND = 'Name a command: list, logoff, message, drain, logons, parse or report.';

/** yargs' hidden flag for shell completion requests. */
const COMPLETIONS_FLAG = '--get-yargs-completions';

/** The package version, read from package.json (dist/cli/app.js and src/cli/app.ts both sit two levels down). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * The yargs program. Never exits the process and never prints on its own: `main` passes a parse callback
 * that captures help/version text, and failures are thrown as UsageError.
 *
 * @example
 * const cli = buildCli(deps, createContext());
 * await cli.parseAsync(['list', '--json']);
 */
export function buildCli(deps: CliDeps, ctx: CliContext): Argv {
  const cli = yargs()
    .scriptName('session-logoff')
    .usage('$0 <command> [options]\n\nFind, warn, drain and log off Windows Remote Desktop sessions safely.')
    .locale('en')
    // Every command, so every option that takes a value, refuses an option-like value (checkedValues).
    .command([listCommand, logoffCommand, messageCommand, drainCommand, logonsCommand, cordonCommand, uncordonCommand, parseCommand, reportCommand, rolloutCommand, completionCommand].map((make) => checkedValues(make(deps, ctx), ctx)))
    // yargs answers the scripts' --get-yargs-completions; its own script command stays hidden (ours takes a shell).
    .completion(YARGS_COMPLETION_COMMAND, false, (current: string, _argv: unknown, defaults: (done: (error: Error | null, list: string[] | undefined) => void) => void, done: (list: string[]) => void) => {
      defaults((_error, list) => done(filterCompletions(current, list ?? [])));
    })
    .example('$0 list -s rds01', 'Who is logged on to rds01')
    .example('$0 logoff 12 -s rds01', 'Log off session 12 (like logoff 12 /server:rds01)')
    .example(REHEARSE_DRAIN, 'Rehearse a drain on the example farm, no Windows needed')
    .epilogue(`${EXIT_CODES_EPILOGUE}\nThe logoff.exe syntax also works: session-logoff 12 /server:rds01 /v`)
    .strict()
    .demandCommand(1, DEMAND_COMMAND)
    .recommendCommands()
    // As npm, node and most Node CLIs: -v; -V stays (it was the only short form).
    .version(packageVersion())
    .alias('version', ['v', 'V'])
    .option('color', { type: 'boolean', global: true, group: 'Output:', describe: 'Colour tables: --color or --color=always, --no-color or --color=never, --color=auto (default: on a terminal; NO_COLOR, FORCE_COLOR honoured)' })
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, deps.isTTY.stdout ? (process.stdout.columns ?? 100) : 100))
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      // Errors thrown by our handlers pass through untouched; yargs' own complaints become usage errors.
      if (error && !(error instanceof UsageError) && error.name !== 'YError') throw error;
      throw new UsageError(message ?? error?.message ?? 'invalid usage');
    });
  return cli;
}
