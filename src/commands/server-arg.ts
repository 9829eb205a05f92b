import { assertHost } from '../validate.js';

/**
 * `['/server:<host>']` as ONE argv token when a host is given, `[]` for the local machine.
 * @example serverArgs('rds01') // ['/server:rds01']
 */
export function serverArgs(server: string | null | undefined): string[] {
  if (server === undefined || server === null) return [];
  return [`/server:${assertHost(server)}`];
}
