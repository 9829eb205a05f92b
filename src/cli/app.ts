import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { COMPLETION_COMMAND, COMPLETION_DESCRIBE } from './commands/completion.js';
import { drainCommand } from './commands/drain.js';
import { listCommand } from './commands/list.js';
import { logoffCommand } from './commands/logoff.js';
import { logonsCommand } from './commands/logons.js';
import { messageCommand } from './commands/message.js';
import { parseCommand } from './commands/parse.js';
import { reportCommand } from './commands/report.js';
import type { CliContext } from './context.js';
import type { CliDeps } from './deps.js';
import { EXIT_CODES_EPILOGUE } from './options.js';

/** Thrown by yargs' fail handler: a usage error (exit 2), as opposed to a failure while running. */
export class UsageError extends Error {
  override name = 'UsageError';
}

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
    .command(listCommand(deps, ctx))
    .command(logoffCommand(deps, ctx))
    .command(messageCommand(deps, ctx))
    .command(drainCommand(deps, ctx))
    .command(logonsCommand(deps, ctx))
    .command(parseCommand(deps, ctx))
    .command(reportCommand(deps, ctx))
    .completion(COMPLETION_COMMAND, COMPLETION_DESCRIBE)
    .example('$0 list -s rds01', 'Who is logged on to rds01')
    .example('$0 logoff 12 -s rds01', 'Log off session 12 (like logoff 12 /server:rds01)')
    .example('$0 drain --transport simulated --farm examples/farm.json --servers-file examples/servers.txt --grace 30s --yes', 'Rehearse a drain, no Windows needed')
    .epilogue(`${EXIT_CODES_EPILOGUE}\nThe logoff.exe syntax also works: session-logoff 12 /server:rds01 /v`)
    .strict()
    .demandCommand(1, 'Name a command: list, logoff, message, drain, logons, parse or report.')
    .recommendCommands()
    .version(packageVersion())
    .alias('version', 'V')
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
