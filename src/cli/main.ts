import { isSessionLogoffError, ValidationError } from '../errors.js';
import { buildCli, DEMAND_COMMAND, UsageError } from './app.js';
import { PromptInterruptedError } from './confirm.js';
import { createContext } from './context.js';
import { InputInterruptedError, type CliDeps } from './deps.js';
import { COMMAND_NAMES, rewriteShortcut } from './shortcut.js';
import { interruptedExitCode, interruptedText } from './stop-signals.js';
import { closest, KNOWN_OPTIONS, OPTION_COMMANDS, TOP_LEVEL_OPTIONS } from './suggest.js';
import { createTerminalStream, oneLine } from './terminal.js';
import { watchMissingTools } from './missing-tool.js';
import { createVerboseLog } from './verbose.js';

/** The positional part of each command's usage, for "missing argument" errors. */
const COMMAND_USAGE: Record<string, string> = {
  logons: 'logons <status|drain|drain-until-restart|disable|enable>',
  parse: 'parse <quser|query-session> [file]',
  report: 'report merge <files..>',
};

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/**
 * Runs the CLI once and returns the exit code: 0 done, 1 failed on some host, 2 invalid input (nothing
 * ran), 130 interrupted (143 by SIGTERM, 129 by SIGHUP: see stop-signals.ts). Never throws and never
 * exits the process; every error is one line on stderr.
 *
 * @example
 * process.exitCode = await main(['list', '--json'], defaultDeps());
 */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const verbose = isVerbose(argv);
  let stderr = deps.stderr;
  let create = deps.createTransport;
  if (verbose) {
    const log = createVerboseLog(deps.stderr, deps.isTTY.stderr);
    stderr = log.stderr;
    create = async (name, options) => log.wrapTransport(await deps.createTransport(name, options));
  }
  // Off Windows the default transport finds no quser: say once what to do instead (missing-tool.ts).
  const watch = watchMissingTools(stderr, deps.platform);
  // The one place stderr is made terminal-safe: every warning, error line, note and stack goes through it.
  const code = await run(argv, { ...deps, createTransport: create, stderr: createTerminalStream(watch.stream) }, verbose);
  watch.finish();
  return code === EXIT_INTERRUPTED ? interruptedExitCode(deps.signal) : code;
}

/** --verbose, or logoff.exe's /v; read before yargs, so a usage error is detailed too. */
function isVerbose(argv: readonly string[]): boolean {
  return argv.includes('--verbose') || argv.some((a) => /^\/v$/i.test(a));
}

async function run(argv: readonly string[], deps: CliDeps, verbose: boolean): Promise<number> {
  const shortcut = rewriteShortcut(argv);
  if (shortcut.kind === 'error') return usage(deps, shortcut.message);
  const args = shortcut.kind === 'help' ? ['--help'] : shortcut.argv;
  const ctx = createContext(args);
  const cli = buildCli(deps, ctx);
  let output = '';
  try {
    await cli.parseAsync(args, {}, (_error: Error | undefined, _argv: unknown, text: string) => {
      output = text;
    });
  } catch (error) {
    return report(deps, error, args, verbose);
  }
  if (shortcut.kind === 'help') {
    if (shortcut.reason) deps.stderr.write(`session-logoff: ${shortcut.reason}\n`);
    (shortcut.exitCode === 0 ? deps.stdout : deps.stderr).write(output + '\n');
    return shortcut.exitCode;
  }
  if (output) deps.stdout.write(output + '\n');
  return ctx.exitCode;
}

function usage(deps: CliDeps, message: string): number {
  deps.stderr.write(`session-logoff: ${message}\n`);
  return EXIT_USAGE;
}

function report(deps: CliDeps, error: unknown, args: readonly string[], verbose: boolean): number {
  if (error instanceof PromptInterruptedError || error instanceof InputInterruptedError) {
    deps.stderr.write(`\nsession-logoff: ${interruptedText(deps.signal)}: nothing done.\n`);
    return EXIT_INTERRUPTED;
  }
  if (error instanceof UsageError) return usage(deps, explainUsage(error.message, args));
  if (error instanceof ValidationError) {
    const detail = verbose ? ` [argument ${error.argument}, value ${JSON.stringify(error.value)}]` : '';
    return usage(deps, oneLine(error.message) + detail);
  }
  if (isSessionLogoffError(error)) {
    deps.stderr.write(`session-logoff: ${oneLine(error.message)} (${error.code})\n`);
    if (verbose) deps.stderr.write(stackOf(error));
    return EXIT_FAILED;
  }
  const message = error instanceof Error ? error.message : String(error);
  deps.stderr.write(`session-logoff: unexpected error: ${oneLine(message)}${verbose ? '' : ' (--verbose shows details)'}\n`);
  if (verbose && error instanceof Error) deps.stderr.write(stackOf(error));
  return EXIT_FAILED;
}

const POSITIONALS = new Set(['kind', 'action', 'file', 'files', 'targets', 'shell']);

/** `--name` for an option, `<name>` for a positional, as the operator would write or read it in --help. */
function argumentName(name: string): string {
  if (POSITIONALS.has(name)) return `<${name}>`;
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** "a", "b" and "c" from yargs' `"a", "b", "c"`. */
function listChoices(choices: string): string {
  const items = choices.split(/,\s*/).map((c) => c.trim().replace(/^"|"$/g, ''));
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** yargs' wording, made specific: which command or option was unknown, and what was probably meant. */
function explainUsage(message: string, args: readonly string[]): string {
  const first = args[0] ?? '';
  const see = COMMAND_NAMES.has(first) ? `see session-logoff ${first} --help` : 'see session-logoff --help';
  const invalid = [...message.matchAll(/Argument: (\S+), Given: ("(?:[^"\\]|\\.)*"|\S+), Choices: ((?:"[^"]*"(?:, )?)+)/g)];
  if (invalid.length > 0) {
    return invalid.map((m) => `invalid ${argumentName(m[1] ?? '')} ${m[2] ?? ''}: expected ${listChoices(m[3] ?? '')}`).join('; ') + ` (${see})`;
  }
  const noValue = /^Not enough arguments following: (\S+)$/.exec(message);
  if (noValue) return `${argumentName(noValue[1] ?? '')} needs a value (${see})`;
  const missing = /^Not enough non-option arguments: got \d+, need at least \d+$/.test(message) || /^Missing required argument/.test(message);
  if (missing) {
    const usageLine = COMMAND_USAGE[first];
    return usageLine ? `missing argument: usage is session-logoff ${usageLine} (${see})` : `${oneLine(message)} (${see})`;
  }
  // `session-logoff --verison`: yargs asks for a command first; the typo is what needs saying.
  if (message === DEMAND_COMMAND && /^-/.test(first)) {
    const option = first.replace(/^-+/, '').split('=')[0] ?? '';
    if (!(KNOWN_OPTIONS as readonly string[]).includes(option) && option.length > 1) {
      const hint = closest(option, TOP_LEVEL_OPTIONS) ?? closest(option, KNOWN_OPTIONS);
      return `unknown option ${first.split('=')[0] ?? first}${hint ? `. Did you mean --${hint}?` : ''} (${see})`;
    }
  }
  const didYouMean = /^Did you mean (.+)\?$/.exec(message);
  if (didYouMean) return `unknown command ${JSON.stringify(first)}. Did you mean ${didYouMean[1]}?`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const names = (unknown[1] ?? '').split(', ');
    const name = names[0] ?? '';
    if (name === first && !first.startsWith('-')) return `unknown command ${JSON.stringify(first)}: see session-logoff --help`;
    const option = name.replace(/^-+/, '');
    const hint = closest(option, KNOWN_OPTIONS);
    const shown = args.find((a) => a.replace(/^-+/, '').split('=')[0] === option) ?? (option.length === 1 ? `-${option}` : `--${option}`);
    if (/^[^-]/.test(shown)) return `unexpected argument ${JSON.stringify(shown)}: see session-logoff ${first} --help`;
    if (hint === option) {
      const owners = OPTION_COMMANDS[option] ?? [];
      return `${shown} is not an option of ${first}${owners.length > 0 ? `; it belongs to ${listChoices(owners.join(', '))}` : ''} (${see})`;
    }
    return `unknown option ${shown}${hint ? `. Did you mean --${hint}?` : ''} (${see})`;
  }
  return `${oneLine(message)} (${see})`;
}

/** The stack for --verbose, its message on one line: a host's text cannot add lines that look like ours. */
function stackOf(error: Error): string {
  if (!error.stack) return '';
  return (error.message && error.stack.includes(error.message) ? error.stack.replace(error.message, oneLine(error.message)) : error.stack) + '\n';
}
