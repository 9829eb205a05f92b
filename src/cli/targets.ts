import { assertListFilters, assertSelection, type SelectionNames } from '../core/assert-selection.js';
import type { SessionFilters, TargetSelection } from '../core/types.js';
import type { SessionState } from '../types.js';
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
  if (idle !== undefined) filters.idleOverMinutes = parseDuration(idle, '--idle-over') / 60_000;
  return filters;
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
