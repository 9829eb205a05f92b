import { readStateFile, type RolloutStateDoc } from '../../core/rollout/state-file.js';
import type { RolloutHostState } from '../../core/rollout/types.js';
import { str, type Args } from '../args.js';
import { outputContext, warn, type CliContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { renderCsv } from '../format/csv.js';
import { renderTable, type Column } from '../format/table.js';
import { commandLine, repeatWayOptions, shellWord } from '../recovery-hint.js';

/** Hosts the rollout blocked longer ago than its lease, and still has not given back: forgotten drains. */
export function expiredLeases(doc: RolloutStateDoc, now: number): RolloutHostState[] {
  return doc.hosts.filter((h) => h.logons === 'blocked' && h.status !== 'done' && h.blockedAt !== null && now - Date.parse(h.blockedAt) > doc.options.leaseMs);
}

const COLUMNS: Column<RolloutHostState>[] = [
  { header: 'HOST', value: (h) => h.host },
  { header: 'WAVE', value: (h) => h.wave, align: 'right' },
  { header: 'STATUS', value: (h) => h.status },
  { header: 'PHASE', value: (h) => h.phase },
  { header: 'LOGONS', value: (h) => h.logons },
  { header: 'BLOCKED SINCE', value: (h) => (h.logons === 'blocked' ? h.blockedAt : null) },
  { header: 'REASON', value: (h) => h.reason },
];

/**
 * `rollout status <file>`: where a saved rollout stands. Exit 0 when every host is done, 1 otherwise, 2 when
 * the file cannot be read. Hosts blocked past their lease are named on stderr.
 */
export async function runRolloutStatus(deps: CliDeps, ctx: CliContext, args: Args): Promise<void> {
  const render = outputContext(deps, ctx, args);
  const file = str(args, 'file') ?? '';
  const doc = await readStateFile(file, '<file>');
  const now = (deps.now?.() ?? new Date()).getTime();
  const expired = expiredLeases(doc, now);
  switch (render.format) {
    case 'json':
      deps.stdout.write(JSON.stringify({ command: doc.command, createdAt: doc.createdAt, updatedAt: doc.updatedAt, runs: doc.runs, stopped: doc.stopped, waves: doc.waves, hosts: doc.hosts, leaseExpired: expired.map((h) => h.host) }, null, 2) + '\n');
      break;
    case 'ndjson':
      deps.stdout.write(doc.hosts.map((h) => JSON.stringify(h) + '\n').join(''));
      break;
    case 'csv':
      deps.stdout.write(renderCsv(['host', 'wave', 'status', 'phase', 'logons', 'blockedAt', 'reason'], doc.hosts.map((h) => [h.host, h.wave, h.status, h.phase, h.logons, h.blockedAt, h.reason])));
      break;
    case 'table':
      deps.stdout.write(renderTable(doc.hosts, COLUMNS, render.paint));
  }
  const count = (status: string): number => doc.hosts.filter((h) => h.status === status).length;
  if (!ctx.quiet) deps.stderr.write(`session-logoff: ${count('done')}/${doc.hosts.length} done, ${count('failed')} failed, ${count('pending')} pending, ${count('running') + count('interrupted')} in flight or interrupted${doc.stopped ? `; stopped: ${doc.stopped.message}` : ''}\n`);
  if (expired.length > 0) {
    // The state file does not say how the rollout reached its hosts: `rollout status <file> --transport …` repeats what it is given.
    const transportName = str(args, 'transport');
    const way = repeatWayOptions({ transportName, farmFile: str(args, 'farm'), auditLog: str(args, 'audit-log') }, deps.platform);
    const command = commandLine('session-logoff logons enable --expired', shellWord(file, deps.platform), way, '--yes');
    warn(deps, ctx, `blocked by this rollout for longer than its lease: ${expired.map((h) => h.host).join(', ')}; to allow them again${transportName === undefined ? ' (add the --transport and --farm the rollout ran with, if not the defaults)' : ''}: ${command}`);
  }
  ctx.exitCode = doc.hosts.every((h) => h.status === 'done') ? 0 : 1;
}
