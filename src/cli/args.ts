import { ValidationError } from '../errors.js';

/** Parsed yargs arguments, read through the typed accessors below rather than trusted as typed. */
export type Args = Record<string, unknown>;

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  // A repeated single-value option arrives as an array: the last one wins, as in most CLIs.
  if (Array.isArray(value)) return value.length === 0 ? undefined : String(value[value.length - 1]);
  return String(value);
}

export function strList(args: Args, key: string): string[] {
  const value = args[key];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function bool(args: Args, key: string): boolean {
  return args[key] === true;
}

/** A non-negative decimal integer option (yargs' number type would accept `1e3`, `0x10` and `NaN`). */
export function int(args: Args, key: string, argument: string, limits: { min: number; max: number }): number | undefined {
  const text = str(args, key);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < limits.min || Number(text) > limits.max) {
    throw new ValidationError(argument, text, `invalid ${argument} ${JSON.stringify(text)}: expected a whole number from ${limits.min} to ${limits.max}`);
  }
  return Number(text);
}

/** Positional values plus anything yargs left in `_` after the command (e.g. after `--`). */
export function positionals(args: Args, key: string): string[] {
  const rest = Array.isArray(args['_']) ? (args['_'] as unknown[]).slice(1).map(String) : [];
  return [...strList(args, key), ...rest];
}
