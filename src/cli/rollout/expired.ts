import type { Argv } from 'yargs';
import { createStateWriter, readStateFile } from '../../core/rollout/state-file.js';
import type { ActionRecord } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { str, strList, type Args } from '../args.js';
import { note, warn, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { expiredLeases } from './status.js';

/** `logons status|enable --expired <file>`: the hosts a rollout has kept blocked past their lease. */
export function expiredOption<T>(y: Argv<T>): Argv<T> {
  return y.option('expired', { type: 'string', requiresArg: true, group: 'Hosts:', describe: 'The hosts a rollout state file has blocked longer than its --lease' });
}

/**
 * With `--expired <file>`, makes those hosts the command's hosts (as if given with -s) and names them on
 * stderr. Returns false when there is none: nothing to do. Hosts given another way as well are invalid input.
 */
export async function selectExpired(deps: CliDeps, ctx: CliContext, args: Args): Promise<boolean> {
  const file = str(args, 'expired');
  if (file === undefined) return true;
  if (strList(args, 'server').length > 0 || str(args, 'servers-file') !== undefined || str(args, 'shard') !== undefined) {
    throw new ValidationError('--expired', file, 'invalid --expired with --server, --servers-file or --shard: the hosts come from the state file');
  }
  const doc = await readStateFile(file, '--expired');
  const hosts = expiredLeases(doc, (deps.now?.() ?? new Date()).getTime()).map((h) => h.host);
  if (hosts.length === 0) {
    note(deps, ctx, `no host of ${file} is blocked past its lease: nothing to do`);
    return false;
  }
  warn(deps, ctx, `blocked by the rollout in ${file} for longer than its lease: ${hosts.join(', ')}`);
  args['server'] = hosts;
  return true;
}

/**
 * After `logons enable --expired <file>`: the hosts whose logons are allowed now are recorded so in the state
 * file, so `rollout status` stops naming them and a resume knows. Other hosts are left as they were.
 */
export async function recordAllowed(args: Args, actions: readonly ActionRecord[]): Promise<void> {
  const file = str(args, 'expired');
  if (file === undefined) return;
  const allowed = new Set(actions.filter((a) => a.action === 'allow-logons' && a.status === 'done').map((a) => a.host.toLowerCase()));
  if (allowed.size === 0) return;
  const doc = await readStateFile(file, '--expired');
  for (const h of doc.hosts) {
    if (h.logons !== 'blocked' || !allowed.has(h.host.toLowerCase())) continue;
    h.logons = 'allowed';
    h.reason = `${h.reason ?? ''}${h.reason ? '; ' : ''}logons allowed by logons enable --expired`;
  }
  await createStateWriter(file, () => doc).save();
}
