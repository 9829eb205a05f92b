import type { CommandSpec } from '../types.js';
import { serverArgs } from './server-arg.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

/**
 * `qwinsta [/server:<host>]` (= `query session`): every session, including services, console and listeners.
 * qwinsta.exe is called directly rather than `query session`, because query.exe only dispatches to it.
 * @example buildQuerySession({ server: 'rds01' }) // { file: 'qwinsta', args: ['/server:rds01'] } off Windows
 */
export function buildQuerySession(options: { server?: string | null } = {}, context: SystemContext = defaultSystemContext()): CommandSpec {
  return { file: resolveSystemProgram('qwinsta', context), args: serverArgs(options.server) };
}
