import type { ActionRecord, HostErrorRecord } from '../../core/types.js';
import { bool, positionals, str, strList, type Args } from '../args.js';
import { warn, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { parseStates } from '../targets.js';

/**
 * Human wording of a selection for confirmation questions, e.g. `the sessions matching user "j*" and state
 * Disconnected`. Explicit targets and filters never come together (parseSelection refuses the mix), and
 * states are named as they will be matched (`disc` → Disconnected).
 */
export function describeSelection(args: Args): string {
  if (bool(args, 'all')) return 'EVERY user session';
  const targets = positionals(args, 'targets');
  const own = bool(args, 'self') ? ['your own session'] : [];
  if (targets.length > 0 || own.length > 0) return [...(targets.length > 0 ? [`${targets.length === 1 ? 'session' : 'sessions'} ${targets.join(', ')}`] : []), ...own].join(' and ');
  const parts: string[] = [];
  const user = str(args, 'user');
  if (user !== undefined) parts.push(`user ${JSON.stringify(user)}`);
  const states = strList(args, 'state');
  if (states.length > 0) parts.push(`state ${parseStates(states).join(', ')}`);
  const idle = str(args, 'idle-over');
  if (idle !== undefined) parts.push(`idle over ${idle}`);
  return `the sessions matching ${parts.join(' and ')}`;
}

export function hostCount(servers: readonly string[]): string {
  if (servers.length === 0) return 'this machine';
  if (servers.length === 1) return servers[0] ?? '';
  return `${servers.length} hosts`;
}

/**
 * A filter that matched nothing prints nothing on stdout (an empty table) and exits 0; say so on stderr,
 * or the operator cannot tell "no match" from "did not run". Host errors are reported on their own.
 */
export function noteNothingMatched(
  deps: CliDeps,
  ctx: CliContext,
  report: { actions: readonly ActionRecord[]; errors: readonly HostErrorRecord[]; interrupted?: boolean },
  servers: readonly string[],
  command: string,
  args: Args = {},
): void {
  if (report.actions.length > 0 || report.interrupted === true) return;
  const failedHosts = new Set(report.errors.map((e) => e.host.toLowerCase())).size;
  const total = Math.max(servers.length, 1);
  if (failedHosts >= total) return;
  warn(deps, ctx, `no session matched on ${hostCount(servers)}: nothing to ${command}${domainNote(args)}`);
}

/**
 * Why `--user CORP\bob` matched nothing: quser prints names without their domain, and the name part alone
 * is not matched, since a local account `bob` is not CORP\bob. Empty when the pattern has no domain.
 */
export function domainNote(args: Args): string {
  const user = str(args, 'user');
  const slash = user?.lastIndexOf('\\') ?? -1;
  if (user === undefined || slash < 0) return '';
  const name = user.slice(slash + 1);
  return `; quser prints user names without their domain, so --user ${JSON.stringify(user)} cannot match: give --user ${name} (the WTS source reads domains: --transport powershell)`;
}
