import type { SessionRecord } from '../../types.js';
import { createContext } from '../context.js';
import type { HostTarget } from '../hosts.js';
import { HostScope } from '../scope.js';
import { messageSession } from '../steps.js';
import type { RolloutStateDoc } from './state-file.js';
import type { RolloutOptions, RolloutReport } from './types.js';

// Telling users the logoff is off must not hold an interrupted run for long.
const CANCEL_TIMEOUT_MS = 10_000;

/**
 * After an interrupt: users who were warned on a host still in its drain get the cancel message, through a
 * context of its own (the run's signal has aborted), with a short timeout and no retries. Their warnings are
 * forgotten: a resumed run warns them again with a fresh grace period. Returns the scopes holding those actions.
 */
export async function cancelWarnings(options: RolloutOptions, doc: RolloutStateDoc, targets: ReadonlyMap<string, HostTarget>): Promise<HostScope[]> {
  const hosts = doc.hosts.filter((h) => h.status !== 'done' && h.status !== 'failed' && h.phase === 'draining' && h.warned.length > 0);
  if (hosts.length === 0) return [];
  const { signal: _aborted, ...rest } = options;
  const timeoutMs = Math.min(options.timeoutMs !== undefined && options.timeoutMs > 0 && Number.isFinite(options.timeoutMs) ? options.timeoutMs : CANCEL_TIMEOUT_MS, CANCEL_TIMEOUT_MS);
  const ctx = createContext({ ...rest, retries: 0, timeoutMs });
  return Promise.all(
    hosts.map(async (h) => {
      const scope = new HostScope(ctx, targets.get(h.host) ?? { name: h.host, address: h.host });
      for (const w of h.warned) {
        // messageSession reads only the id and user (and re-queries by them when msg fails).
        await messageSession(scope, { id: w.id, username: w.username } as SessionRecord, doc.options.cancelMessage);
      }
      h.warned = [];
      h.deadline = null;
      return scope;
    }),
  );
}

/**
 * 0 only when every host is done (a dry run: when every host fits in a wave and none would fail); 1 otherwise. An interrupted
 * report is 1 here: the CLI checks `interrupted` first and exits 130 (143 for SIGTERM).
 * @example process.exitCode = report.interrupted ? 130 : rolloutExitCode(report);
 */
export function rolloutExitCode(report: RolloutReport): 0 | 1 {
  if (report.interrupted) return 1;
  if (report.dryRun) return report.stopped === null && report.hosts.every((h) => h.status !== 'failed') ? 0 : 1;
  return report.hosts.every((h) => h.status === 'done') ? 0 : 1;
}
