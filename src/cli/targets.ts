import { assertListFilters, assertSelection, type SelectionNames } from '../core/assert-selection.js';
import type { SessionFilters, TargetSelection } from '../core/types.js';
import type { SessionState } from '../types.js';
import { ValidationError } from '../errors.js';
import { assertStates, assertUserPattern, parseDuration } from '../validate.js';
import { bool, positionals, str, strList, type Args } from './args.js';

/** The selection rules of the library (core/select.ts), worded with the CLI's flags. */
const CLI_NAMES: SelectionNames = { targets: 'session', user: '--user', states: '--state', idleOverMinutes: '--idle-over', all: '--all', self: '--self' };

/**
 * `--state` values: repeatable and comma-separated (`--state disc,idle`), read through the parsers' state
 * vocabulary, so canonical names and what quser prints (`Disc`, `Conn`, `Getr.`) both work, in any case.
 */
export function parseStates(values: readonly string[]): SessionState[] {
  return assertStates(values.flatMap((v) => v.split(',')).map((v) => v.trim()), '--state');
}

/** The filters `list`, `logoff` and `message` share; each validated, none required. */
export function parseFilters(args: Args): SessionFilters {
  const filters: SessionFilters = {};
  const user = str(args, 'user');
  if (user !== undefined) filters.user = assertUserPattern(user, '--user');
  const states = strList(args, 'state');
  if (states.length > 0) filters.states = parseStates(states);
  const idle = str(args, 'idle-over');
  if (idle !== undefined) filters.idleOverMinutes = parseIdleOver(idle);
  return filters;
}

/**
 * `--idle-over` in minutes, with a unit always: a bare number was seconds (as for every other duration),
 * while quser prints idle time in minutes, so `--idle-over 90` read as 1.5 minutes to someone meaning 90.
 * Seconds are refused too: quser has none, so `90s` could only look more precise than it is.
 * @example parseIdleOver('90m') // 90
 */
export function parseIdleOver(value: string): number {
  const shown = JSON.stringify(value);
  if (/^\d{1,12}$/u.test(value)) throw new ValidationError('--idle-over', value, `--idle-over ${shown} needs a unit: ${value}m (minutes, as quser counts idle time), or ${value}h, ${value}d`);
  if (/^\d{1,12}s$/iu.test(value)) throw new ValidationError('--idle-over', value, `invalid --idle-over ${shown}: quser counts idle time in whole minutes: give m, h or d (e.g. 30m, 2h, 1d)`);
  if (!/^\d{1,12}[mhd]$/iu.test(value)) throw new ValidationError('--idle-over', value, `invalid --idle-over ${shown}: expected a whole number with m, h or d (e.g. 30m, 2h, 1d)`);
  return parseDuration(value, '--idle-over') / 60_000;
}

/**
 * `list`'s filters, checked by the library's rule before any transport exists: `--all-sessions` lists
 * what filters never select, so the two together are invalid input.
 */
export function parseListFilters(args: Args): SessionFilters {
  const filters = parseFilters(args);
  assertListFilters({ ...filters, allSessions: bool(args, 'all-sessions') }, { ...CLI_NAMES, allSessions: '--all-sessions' });
  return filters;
}

export interface ParsedSelection {
  selection: TargetSelection;
  /** A filter or `--all`: a mass selection that needs confirmation for logoff. */
  isMass: boolean;
}

/**
 * Validates the session selection of logoff / message by the library's own rules (assertSelection), before
 * any transport exists: explicit targets (ids, names, `--self`) or filters (`--user`, `--state`,
 * `--idle-over`) or `--all`, never a mix, and never nothing: logoff.exe with no session logs off the caller.
 */
export function parseSelection(args: Args): ParsedSelection {
  const selection: TargetSelection = parseFilters(args);
  const targets = positionals(args, 'targets');
  if (targets.length > 0) selection.targets = targets;
  if (bool(args, 'all')) selection.all = true;
  if (bool(args, 'self')) selection.self = true;
  assertSelection(selection, CLI_NAMES);
  return { selection, isMass: selection.targets === undefined && selection.self !== true };
}
