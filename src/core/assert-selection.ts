import { ValidationError } from '../errors.js';
import { assertStates, assertTargetAllowed, assertUserPattern, parseTarget, type Target } from '../validate.js';
import type { SessionFilters, TargetSelection } from './types.js';

// The rules a selection must follow before any host is touched; select.ts applies it to a host's sessions.

/** What the parts of a selection are called in errors: library option names, or the CLI's flags. */
export interface SelectionNames {
  targets: string;
  user: string;
  states: string;
  idleOverMinutes: string;
  all: string;
  self: string;
}

const LIBRARY_NAMES: SelectionNames = { targets: 'target', user: 'user', states: 'states', idleOverMinutes: 'idleOverMinutes', all: 'all', self: 'self' };

/**
 * Checks a selection before anything runs: every explicit target is a valid, allowed id or name, the
 * filters are valid, and there is something to select. A selection is either explicit (ids, names, `self`:
 * a list of sessions) or mass (`user`, `states`, `idleOverMinutes` AND-ed, or `all`), never both: `4` with
 * `user: 'bob'` could only mean "4 or bob's sessions" or "4 if it is bob's", and a prompt cannot say which.
 * No target at all is a usage error, never a logoff of the caller (which is what `logoff` with no id does).
 * Returns the parsed explicit targets. `names` words the errors (the CLI passes its flags).
 * @example assertSelection({ targets: ['3', 'rdp-tcp#7'] }) // [{kind:'id',id:3}, {kind:'name',name:'rdp-tcp#7'}]
 */
export function assertSelection(selection: TargetSelection, names: SelectionNames = LIBRARY_NAMES): Target[] {
  const targets = (selection.targets ?? []).map((t) => assertTargetAllowed(parseTarget(t, names.targets), names.targets));
  if (selection.user !== undefined) assertUserPattern(selection.user, names.user);
  if (selection.states !== undefined) assertStates(selection.states, names.states);
  if (selection.idleOverMinutes !== undefined && !(typeof selection.idleOverMinutes === 'number' && Number.isFinite(selection.idleOverMinutes) && selection.idleOverMinutes >= 0)) {
    throw new ValidationError(names.idleOverMinutes, String(selection.idleOverMinutes), `invalid ${names.idleOverMinutes}: expected a duration of 0 or more`);
  }
  const filters = (['user', 'states', 'idleOverMinutes'] as const).filter((key) => isSet(selection, key));
  const explicit = targets.length > 0 || selection.self === true;
  const mass = selection.all === true ? ['all' as const, ...filters] : filters;
  const first = mass[0];
  if (explicit && first !== undefined) {
    const given = targets.length > 0 ? (selection.self === true ? `session ids or names and ${names.self}` : 'session ids or names') : names.self;
    throw new ValidationError(names[first], shownValue(selection, first), `invalid selection: ${given} cannot be combined with ${names[first]}: name sessions or filter them, not both (run two commands)`);
  }
  if (selection.all === true && filters[0] !== undefined) {
    throw new ValidationError(names.all, 'true', `invalid selection: ${names.all} cannot be combined with ${names[filters[0]]}: ${names.all} is every user session; give only the filters`);
  }
  if (!explicit && first === undefined) {
    throw new ValidationError(names.targets, '', `the selection needs a target: session ids or names, a filter (${names.user}, ${names.states}, ${names.idleOverMinutes}), ${names.all}, or ${names.self} for your own session`);
  }
  return targets;
}

/**
 * Checks the filters of a listing (user, states, idleOverMinutes) as `assertSelection` checks them for a
 * logoff. `allSessions` lists what filters never select, so the two together are invalid input. Returns
 * true when there is a filter to apply.
 * @example assertListFilters({ states: ['Disc'] }) // true
 */
export function assertListFilters(options: SessionFilters & { allSessions?: boolean }, names: SelectionNames & { allSessions: string } = { ...LIBRARY_NAMES, allSessions: 'allSessions' }): boolean {
  const filters = filtersOf(options);
  if (!hasFilter(filters)) return false;
  assertSelection(filters, names);
  if (options.allSessions === true) {
    throw new ValidationError(names.allSessions, 'true', `invalid ${names.allSessions}: it lists services, console and listeners, which filters never select; give the filters alone`);
  }
  return true;
}

/** Just the filters of a larger options object (exactOptionalPropertyTypes: no undefined keys). */
export function filtersOf(options: SessionFilters): SessionFilters {
  const filters: SessionFilters = {};
  if (options.user !== undefined) filters.user = options.user;
  if (options.states !== undefined) filters.states = options.states;
  if (options.idleOverMinutes !== undefined) filters.idleOverMinutes = options.idleOverMinutes;
  return filters;
}

/** An empty `states` list filters nothing: it is not a filter (as an omitted one). */
export function isSet(selection: TargetSelection, key: 'user' | 'states' | 'idleOverMinutes'): boolean {
  return key === 'states' ? (selection.states?.length ?? 0) > 0 : selection[key] !== undefined;
}

function shownValue(selection: TargetSelection, key: 'user' | 'states' | 'idleOverMinutes' | 'all'): string {
  const value = selection[key];
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function hasFilter(selection: TargetSelection): boolean {
  return isSet(selection, 'user') || isSet(selection, 'states') || isSet(selection, 'idleOverMinutes');
}
