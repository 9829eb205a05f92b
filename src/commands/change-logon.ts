import type { CommandSpec } from '../types.js';
import type { LogonMode } from '../run/transport.js';
import { ValidationError } from '../errors.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

const FLAGS: Record<LogonMode | 'query', string> = {
  enable: '/enable',
  disable: '/disable',
  drain: '/drain',
  'drain-until-restart': '/drainuntilrestart',
  query: '/query',
};

/** The `change logon` switch for a mode; throws ValidationError for anything else. */
export function changeLogonFlag(mode: LogonMode | 'query'): string {
  const flag = Object.hasOwn(FLAGS, mode) ? FLAGS[mode] : undefined;
  if (flag === undefined) {
    throw new ValidationError('mode', String(mode), `invalid logon mode ${JSON.stringify(String(mode))}: expected ${Object.keys(FLAGS).join(', ')}`);
  }
  return flag;
}

/**
 * `change logon /<mode>`. Local only: change.exe has no /server switch (remote hosts need PowerShell remoting).
 * @example buildChangeLogon('drain') // { file: 'change', args: ['logon', '/drain'] } off Windows
 */
export function buildChangeLogon(mode: LogonMode | 'query', context: SystemContext = defaultSystemContext()): CommandSpec {
  return { file: resolveSystemProgram('change', context), args: ['logon', changeLogonFlag(mode)] };
}
