import { ValidationError } from '../errors.js';
import type { SessionRecord } from '../types.js';
import type { ActionRecord, DrainHostReport, HostErrorRecord, ListReport, LogonsHostReport } from './types.js';

/** Any report the library returns; `mergeReports` combines the JSON of sharded CI jobs into one. */
export interface AnyReport {
  sessions?: SessionRecord[];
  actions?: ActionRecord[];
  errors: HostErrorRecord[];
  interrupted?: boolean;
  hosts?: (DrainHostReport | LogonsHostReport)[];
}

const FAILED_ACTIONS = new Set(['failed', 'refused', 'not-found']);

/**
 * 0 when everything asked for was done, 1 otherwise: any host error, any action failed, refused or
 * not-found, any drain host not drained (a dry run's `planned` hosts count as success). An interrupted run
 * is 1 here; the CLI checks `interrupted` first and exits 130.
 * @example process.exitCode = report.interrupted ? 130 : exitCodeFor(report);
 */
export function exitCodeFor(report: AnyReport | ListReport): 0 | 1 {
  const r = report as AnyReport;
  if (r.errors.length > 0 || r.interrupted === true) return 1;
  if (r.actions?.some((a) => FAILED_ACTIONS.has(a.status))) return 1;
  if (r.hosts?.some((h) => 'status' in h && h.status !== 'drained' && h.status !== 'planned')) return 1;
  return 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf<T>(report: Record<string, unknown>, key: string, index: number, check: (item: Record<string, unknown>) => boolean): T[] | undefined {
  const value = report[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => isObject(item) && check(item))) {
    throw new ValidationError('report', `#${index + 1}`, `invalid report #${index + 1}: "${key}" must be an array of records with a host`);
  }
  return value as T[];
}

const hasHost = (item: Record<string, unknown>): boolean => typeof item['host'] === 'string';

/**
 * Merges the JSON reports of sharded jobs (`--shard k/n`) into one: sessions, actions, errors and hosts
 * concatenated and stably sorted by host (case-insensitive); `interrupted` if any was. Each input is
 * checked for shape first; a malformed one throws ValidationError naming it.
 * @example
 * const merged = mergeReports(files.map((f) => JSON.parse(readFileSync(f, 'utf8'))));
 * process.exitCode = exitCodeFor(merged);
 */
export function mergeReports(reports: readonly unknown[]): AnyReport {
  const merged: Required<Omit<AnyReport, 'interrupted'>> & { interrupted: boolean } = { sessions: [], actions: [], errors: [], hosts: [], interrupted: false };
  const seen = { sessions: false, actions: false, hosts: false };
  reports.forEach((report, index) => {
    if (!isObject(report)) throw new ValidationError('report', `#${index + 1}`, `invalid report #${index + 1}: expected a JSON object`);
    const errors = arrayOf<HostErrorRecord>(report, 'errors', index, (e) => hasHost(e) && typeof e['code'] === 'string');
    if (!errors) throw new ValidationError('report', `#${index + 1}`, `invalid report #${index + 1}: no "errors" array`);
    merged.errors.push(...errors);
    const sessions = arrayOf<SessionRecord>(report, 'sessions', index, hasHost);
    const actions = arrayOf<ActionRecord>(report, 'actions', index, (a) => hasHost(a) && typeof a['status'] === 'string');
    const hosts = arrayOf<DrainHostReport | LogonsHostReport>(report, 'hosts', index, hasHost);
    if (sessions) (seen.sessions = true), merged.sessions.push(...sessions);
    if (actions) (seen.actions = true), merged.actions.push(...actions);
    if (hosts) (seen.hosts = true), merged.hosts.push(...hosts);
    if (report['interrupted'] === true) merged.interrupted = true;
  });
  const byHost = <T extends { host: string | null }>(items: T[]): T[] =>
    items.map((item, i) => ({ item, i, key: (item.host ?? '').toLowerCase() })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i)).map((x) => x.item);
  const out: AnyReport = { errors: byHost(merged.errors) };
  if (seen.sessions) out.sessions = byHost(merged.sessions);
  if (seen.actions) out.actions = byHost(merged.actions);
  if (seen.hosts) out.hosts = byHost(merged.hosts);
  if (seen.actions || merged.interrupted) out.interrupted = merged.interrupted;
  return out;
}
