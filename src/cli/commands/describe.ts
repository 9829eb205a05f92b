import { bool, positionals, str, strList, type Args } from '../args.js';

/** Human wording of a selection for confirmation questions, e.g. `sessions of user "j*" in state Disconnected`. */
export function describeSelection(args: Args): string {
  if (bool(args, 'all')) return 'EVERY user session';
  const parts: string[] = [];
  const targets = positionals(args, 'targets');
  if (targets.length > 0) parts.push(`session(s) ${targets.join(', ')}`);
  const user = str(args, 'user');
  if (user !== undefined) parts.push(`user ${JSON.stringify(user)}`);
  const states = strList(args, 'state');
  if (states.length > 0) parts.push(`state ${states.join(', ')}`);
  const idle = str(args, 'idle-over');
  if (idle !== undefined) parts.push(`idle over ${idle}`);
  return `the sessions matching ${parts.join(' and ')}`;
}

export function hostCount(servers: readonly string[]): string {
  if (servers.length === 0) return 'this machine';
  if (servers.length === 1) return servers[0] ?? '';
  return `${servers.length} hosts`;
}
