import type { TargetSelection } from '../core/types.js';
import { ValidationError } from '../errors.js';
import type { SessionState } from '../types.js';
import { assertTargetAllowed, assertUserPattern, parseDuration, parseTarget } from '../validate.js';
import { bool, positionals, str, strList, type Args } from './args.js';

const STATES: readonly SessionState[] = ['Active', 'Connected', 'ConnectQuery', 'Shadow', 'Disconnected', 'Idle', 'Listen', 'Reset', 'Down', 'Init'];

/** Canonical state names, case-insensitive; repeatable and comma-separated (`--state disconnected,idle`). */
export function parseStates(values: readonly string[]): SessionState[] {
  const states = new Set<SessionState>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const state = STATES.find((s) => s.toLowerCase() === value.trim().toLowerCase());
    if (!state) throw new ValidationError('--state', value, `invalid --state ${JSON.stringify(value)}: expected one of ${STATES.join(', ')}`);
    states.add(state);
  }
  return [...states];
}

export interface ParsedSelection {
  selection: TargetSelection;
  /** A filter or `--all`: a mass selection that needs confirmation for logoff. */
  isMass: boolean;
}

/**
 * Validates the session selection of logoff / message. No target and no filter is a usage error: logoff.exe
 * with no session logs off the caller, and we never do that by accident.
 */
export function parseSelection(args: Args, command: string): ParsedSelection {
  const targets = positionals(args, 'targets').map((t) => {
    assertTargetAllowed(parseTarget(t, 'session'), 'session');
    return t;
  });
  const selection: TargetSelection = {};
  if (targets.length > 0) selection.targets = targets;
  const user = str(args, 'user');
  if (user !== undefined) selection.user = assertUserPattern(user, '--user');
  const states = strList(args, 'state');
  if (states.length > 0) selection.states = parseStates(states);
  const idle = str(args, 'idle-over');
  if (idle !== undefined) selection.idleOverMinutes = parseDuration(idle, '--idle-over') / 60_000;
  if (bool(args, 'all')) selection.all = true;
  if (bool(args, 'self')) selection.self = true;

  const hasFilter = user !== undefined || states.length > 0 || idle !== undefined;
  if (selection.all && (targets.length > 0 || hasFilter)) {
    throw new ValidationError('--all', 'true', `invalid ${command} selection: --all cannot be combined with session ids, names or filters`);
  }
  if (targets.length === 0 && !hasFilter && !selection.all && !selection.self) {
    throw new ValidationError('targets', '', `${command} needs a target: session ids or names, --user, --state, --idle-over, --all, or --self for your own session`);
  }
  return { selection, isMass: hasFilter || selection.all === true };
}
