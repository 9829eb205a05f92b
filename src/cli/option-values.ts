import type { Argv } from 'yargs';
import { ValidationError } from '../errors.js';

/*
 * yargs reads `--server -help` as --server with no value plus -h -e -l -p, and shows help with exit 0 before
 * requiresArg is ever checked; `--server --all` would be "needs a value" only when --all is not a known
 * flag. An option that needs a value followed by a token that looks like an option is invalid input naming
 * that option, checked here on the raw argv with the command's own option table, for every option of every
 * command (app.ts wraps each command's builder).
 */

/** The names and aliases of the options that take a value (string or number), from yargs' own table. */
export function valueOptionNames(y: Argv): Set<string> {
  const options = (y as unknown as { getOptions(): YargsOptions }).getOptions();
  const names = new Set<string>();
  const positional = new Set(options.array);
  for (const key of [...options.string, ...options.number]) {
    // Positionals are listed as (array) strings too; their names never appear as --flags in normal use.
    if (positional.has(key) || options.boolean.includes(key)) continue;
    names.add(key);
    for (const alias of options.alias[key] ?? []) names.add(alias);
  }
  return names;
}

interface YargsOptions {
  string: string[];
  number: string[];
  boolean: string[];
  array: string[];
  alias: Record<string, string[] | undefined>;
}

/** A token that yargs would read as an option rather than as the value before it. `-` alone is stdin. */
function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token !== '-';
}

/**
 * Throws ValidationError naming the flag (as typed) when an option that takes a value is followed by a
 * token that looks like an option. `--flag=value` is how a value starting with `-` is passed on purpose.
 * Tokens after `--` are positionals and are not looked at.
 * @example assertOptionValues(['list', '--server', '-help'], new Set(['server'])) // throws ValidationError(--server)
 */
export function assertOptionValues(argv: readonly string[], valueOptions: ReadonlySet<string>): void {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return;
    const typed = takesNextToken(token, valueOptions);
    if (typed === null) continue;
    const next = argv[i + 1];
    if (next === undefined) return; // yargs says "needs a value"
    if (looksLikeOption(next)) {
      const written = `${typed}=${/\s/.test(next) ? JSON.stringify(next) : next}`;
      throw new ValidationError(typed, next, `${typed} needs a value, but ${JSON.stringify(next)} looks like an option (to pass a value that starts with "-", write ${written})`);
    }
    i++; // the value itself, whatever it says, is not an option
  }
}

/** `--name` or the short flag that takes the next token as its value, as typed; null when none does. */
function takesNextToken(token: string, valueOptions: ReadonlySet<string>): string | null {
  if (token.includes('=')) return null;
  if (token.startsWith('--')) return valueOptions.has(token.slice(2)) ? token : null;
  if (!/^-[A-Za-z]+$/.test(token)) return null;
  // A short group (`-qs`): the first flag that takes a value takes the rest of the group, or, when it
  // is the last letter, the next token.
  const letters = token.slice(1);
  for (let j = 0; j < letters.length; j++) {
    if (valueOptions.has(letters[j] ?? '')) return j === letters.length - 1 ? `-${letters[j] ?? ''}` : null;
  }
  return null;
}

/**
 * The names and aliases of the switches (boolean options), from yargs' own table. `color` is left out: it
 * takes always|never|auto as well (context.ts reads and checks it).
 */
export function switchOptionNames(y: Argv): Set<string> {
  const options = (y as unknown as { getOptions(): YargsOptions }).getOptions();
  const names = new Set<string>();
  for (const key of options.boolean) {
    if (key === 'color') continue;
    names.add(key);
    for (const alias of options.alias[key] ?? []) names.add(alias);
  }
  return names;
}

/**
 * yargs reads `--switch=<value>` as false for every value but `true`: `--dry-run=yes` ran a real logoff, and
 * `--json=1` silently printed a table. A switch takes no value, or exactly `true` or
 * `false` (also `--no-switch=...`); anything else throws ValidationError naming the switch as typed. Values of
 * options that take one, and everything after `--`, are not looked at.
 * @example assertSwitchValues(['logoff', '--all', '--dry-run=yes'], new Set(['dry-run']), new Set()) // throws
 */
export function assertSwitchValues(argv: readonly string[], switches: ReadonlySet<string>, valueOptions: ReadonlySet<string>): void {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return;
    if (takesNextToken(token, valueOptions) !== null) {
      i++;
      continue;
    }
    const match = /^(--?)([^=]+)=(.*)$/su.exec(token);
    if (match === null) continue;
    const [, dashes = '', name = '', value = ''] = match;
    // In a short group (`-yn=yes`) the value goes to the last letter.
    const base = dashes === '-' ? name.slice(-1) : name.startsWith('no-') && switches.has(name.slice(3)) ? name.slice(3) : name;
    if (!switches.has(base)) continue;
    if (value === 'true' || value === 'false') continue;
    const typed = `${dashes}${dashes === '-' ? base : name}`;
    throw new ValidationError(typed, value, `invalid ${typed} ${JSON.stringify(value)}: a switch takes no value, or true or false (write ${typed} alone to turn it on)`);
  }
}
