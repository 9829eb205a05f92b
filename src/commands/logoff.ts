import type { CommandSpec } from '../types.js';
import { ValidationError } from '../errors.js';
import { assertSessionId, assertTargetAllowed } from '../validate.js';
import { serverArgs } from './server-arg.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

export interface LogoffOptions {
  id: number;
  server?: string | null;
  verbose?: boolean;
}

/**
 * `logoff <id> [/server:<host>] [/v]`. The id is mandatory and numeric: `logoff` without one logs off the
 * caller, and a session *name* only works for active sessions. Protected ids (0, listeners) are refused here
 * too, as a second line of defence behind target selection.
 * @example buildLogoff({ id: 3, server: 'rds01' }) // { file: 'logoff', args: ['3', '/server:rds01'] } off Windows
 */
export function buildLogoff(options: LogoffOptions, context: SystemContext = defaultSystemContext()): CommandSpec {
  const id = assertTargetId(options.id);
  const args = [String(id), ...serverArgs(options.server)];
  if (options.verbose === true) args.push('/v');
  return { file: resolveSystemProgram('logoff', context), args };
}

/**
 * A session id that may be acted on: a number (never a string that a caller forgot to parse), not 0, not a listener.
 * @example assertTargetId(3) // 3
 */
export function assertTargetId(id: unknown): number {
  if (typeof id !== 'number') {
    throw new ValidationError('session', String(id), `invalid session ${JSON.stringify(String(id))}: expected a numeric session id`);
  }
  const checked = assertSessionId(id);
  assertTargetAllowed({ kind: 'id', id: checked });
  return checked;
}
