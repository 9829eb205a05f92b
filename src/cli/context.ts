import { ValidationError } from '../errors.js';
import type { Args } from './args.js';
import { bool, str } from './args.js';
import { createPaint, wantsColor, type Paint } from './format/color.js';
import type { CliDeps } from './deps.js';
import type { OutputFormat, RenderContext } from './render.js';
import { oneLine } from './terminal.js';

/** Per-invocation state shared by the command handlers; `exitCode` is what `main` returns. */
export interface CliContext {
  exitCode: number;
  quiet: boolean;
  verbose: boolean;
  /** The argv yargs parsed: yargs turns a lone `-` positional into "" (or true), so handlers look here. */
  argv: readonly string[];
}

export function createContext(argv: readonly string[] = []): CliContext {
  return { exitCode: 0, quiet: false, verbose: false, argv };
}

/** Reads the output flags once per command. `--json` with an explicit other `--format` is a contradiction. */
export function outputContext(deps: CliDeps, ctx: CliContext, args: Args): RenderContext {
  ctx.quiet = bool(args, 'quiet');
  ctx.verbose = bool(args, 'verbose');
  const chosen = str(args, 'format') ?? 'table';
  // --format defaults to table, so only an explicit one on the command line can contradict --json.
  const explicitFormat = ctx.argv.some((a) => a === '--format' || a === '-o' || a.startsWith('--format=') || /^-o\S/.test(a));
  if (bool(args, 'json') && explicitFormat && chosen !== 'json') {
    throw new ValidationError('--json', chosen, `--json contradicts --format ${chosen}: give one of them`);
  }
  const format = (bool(args, 'json') ? 'json' : chosen) as OutputFormat;
  const flag = colorFlag(ctx.argv, args['color']);
  const color = format === 'table' && wantsColor(deps.isTTY.stdout, deps.env, flag);
  return { format, paint: createPaint(color) };
}

// What `--color=<value>` asks for; `auto` is the default detection (undefined).
const COLOR_VALUES = new Map<string, boolean | undefined>([['always', true], ['true', true], ['never', false], ['false', false], ['auto', undefined]]);

/**
 * `--color`, `--no-color`, or `--color=always|never|auto` as ls, grep and git take it. yargs reads any
 * `--color=<value>` of a boolean flag as false (`--color=always` turned colour off, a typo passed silently), so
 * the value is read from the command line itself when the last colour option there has one.
 */
function colorFlag(argv: readonly string[], parsed: unknown): boolean | undefined {
  const end = argv.indexOf('--');
  const options = (end === -1 ? argv : argv.slice(0, end)).filter((a) => a === '--color' || a === '--no-color' || a.startsWith('--color='));
  const last = options.at(-1);
  if (last === undefined || !last.startsWith('--color=')) return typeof parsed === 'boolean' ? parsed : undefined;
  const value = last.slice('--color='.length);
  if (!COLOR_VALUES.has(value)) throw new ValidationError('--color', value, `invalid --color ${JSON.stringify(value)}: expected always, never or auto`);
  return COLOR_VALUES.get(value);
}

/** A warning on stderr, one line (host text included: main() made stderr terminal-safe); --quiet silences it. */
export function warn(deps: CliDeps, ctx: CliContext, message: string): void {
  if (!ctx.quiet) deps.stderr.write(`session-logoff: warning: ${oneLine(message)}\n`);
}

/** A note for the human at the terminal (not a problem), on stderr so stdout stays data; --quiet silences it. */
export function note(deps: CliDeps, ctx: CliContext, message: string): void {
  if (!ctx.quiet) deps.stderr.write(`session-logoff: ${oneLine(message)}\n`);
}
