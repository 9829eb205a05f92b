import type { CommandSpec } from '../types.js';
import { ValidationError } from '../errors.js';
import { assertSessionId } from '../validate.js';
import { serverArgs } from './server-arg.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

export interface QuserOptions {
  server?: string | null;
  /** A user name, session name or session id, as quser accepts; never a glob (filters run in-process). */
  filter?: string;
}

// User and session names: no leading switch characters, no quotes, shell metacharacters or wildcards.
const FILTER = /^[A-Za-z0-9_][A-Za-z0-9 ._#$@\\-]{0,103}$/u;

function assertFilter(value: string): string {
  if (/^[0-9]+$/u.test(value)) return String(assertSessionId(value, 'filter'));
  if (!FILTER.test(value) || value.endsWith(' ')) {
    throw new ValidationError('filter', value, `invalid filter ${JSON.stringify(value)}: expected a user name, session name or session id`);
  }
  return value;
}

/**
 * `quser [<filter>] [/server:<host>]`.
 * @example buildQuser({ server: 'rds01' }) // { file: 'quser', args: ['/server:rds01'] } off Windows
 */
export function buildQuser(options: QuserOptions = {}, context: SystemContext = defaultSystemContext()): CommandSpec {
  const args = options.filter === undefined ? [] : [assertFilter(options.filter)];
  return { file: resolveSystemProgram('quser', context), args: [...args, ...serverArgs(options.server)] };
}
