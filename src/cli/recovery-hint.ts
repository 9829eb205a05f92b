import type { SourceChoice } from '../run/wts-source.js';
import { str, strList, type Args } from './args.js';
import type { HostPlan } from './host-run.js';

/**
 * One word of a command line as the operator's shell reads it, so a suggested command can be pasted as it
 * is: unchanged when it holds nothing a shell treats specially, else quoted: in single quotes for POSIX
 * shells, in double quotes on Windows (cmd.exe knows no single quotes; PowerShell reads both).
 * @example shellWord('my farm.json', 'linux') // "'my farm.json'"
 */
export function shellWord(word: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return /^[\w.:\\/@%+=,-]+$/u.test(word) ? word : `"${word.replace(/"/g, '""')}"`;
  return /^[\w./:@%+=,-]+$/u.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

const sameHosts = (a: readonly string[], b: readonly string[]): boolean => {
  const set = new Set(a.map((h) => h.toLowerCase()));
  return set.size === new Set(b.map((h) => h.toLowerCase())).size && b.every((h) => set.has(h.toLowerCase()));
};

/**
 * The options of a run that a suggested follow-up command needs to reach the same hosts the same way: the
 * hosts (every one by name, or the run's own servers file and shard when they are all of it), and the
 * transport, farm and audit log. Without them the hint reaches other hosts, or none (issue 12).
 * @example ['session-logoff', 'logons', 'enable', ...repeatRunOptions(args, plan, ['rds01'], 'linux'), '--yes'].join(' ')
 */
export function repeatRunOptions(args: Args, plan: HostPlan, hosts: readonly string[], platform: NodeJS.Platform): string {
  const words: string[] = [];
  const file = str(args, 'servers-file');
  if (file !== undefined && file !== '-' && sameHosts(hosts, plan.servers)) {
    words.push('--servers-file', file);
    for (const server of strList(args, 'server')) words.push('-s', server);
    const shard = str(args, 'shard');
    if (shard !== undefined) words.push('--shard', shard);
  } else {
    for (const host of hosts) words.push('-s', host);
  }
  const way = repeatWayOptions(plan, platform);
  return [...words.map((w) => shellWord(w, platform)), ...(way === '' ? [] : [way])].join(' ');
}

/** How a run reached its hosts, for a follow-up command that names its hosts another way (a state file). */
export interface RunWay {
  transportName?: string | undefined;
  farmFile?: string | undefined;
  /** `--farm-state` (rollout only: other commands do not take it). */
  farmStateFile?: string | undefined;
  auditLog?: string | undefined;
  /** `--source`: repeated unless `auto`, so a resumed run reads sessions the same way. */
  source?: SourceChoice | undefined;
}

/**
 * The transport, farm (and farm state) and audit log of a run, as options quoted for the shell; '' for the
 * defaults. `rollout --resume <file>` needs them and no hosts (they are in the file).
 * @example `session-logoff rollout --resume ${shellWord(file, 'linux')} ${repeatWayOptions(plan, 'linux')} --yes`
 */
export function repeatWayOptions(way: RunWay, platform: NodeJS.Platform): string {
  const words: string[] = [];
  if (way.transportName !== undefined && way.transportName !== 'exec') words.push('--transport', way.transportName);
  if (way.farmFile !== undefined) words.push('--farm', way.farmFile);
  if (way.farmStateFile !== undefined) words.push('--farm-state', way.farmStateFile);
  if (way.auditLog !== undefined) words.push('--audit-log', way.auditLog);
  if (way.source !== undefined && way.source !== 'auto') words.push('--source', way.source);
  return words.map((w) => shellWord(w, platform)).join(' ');
}

/** `words` joined with single spaces, the empty ones left out. */
export function commandLine(...words: readonly string[]): string {
  return words.filter((w) => w !== '').join(' ');
}
