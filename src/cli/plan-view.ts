import type { ActionRecord, ActionReport, DrainReport, HostErrorRecord, LogonsReport } from '../core/types.js';
import { hostCount } from './commands/describe.js';
import { renderTable, type Column } from './format/table.js';

/** A dry run as the operator reads it before answering (stderr), and the question; null: nothing to ask. */
export interface ShownPlan {
  text: string;
  question: string | null;
}

interface Row {
  host: string;
  id: number | null;
  user: string | null;
  state: string;
  plan: string;
}

const COLUMNS: Column<Row>[] = [
  { header: 'HOST', value: (r) => r.host },
  { header: 'ID', value: (r) => r.id, align: 'right' },
  { header: 'USERNAME', value: (r) => r.user },
  { header: 'STATE', value: (r) => r.state },
  { header: 'PLAN', value: (r) => r.plan },
];

// On stderr, next to a prompt: no colour (stdout's colour choice does not apply here).
const plain = (_style: unknown, text: string): string => text;

const table = (rows: readonly Row[]): string => (rows.length === 0 ? '' : renderTable(rows, COLUMNS, plain));

const sameHost = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Hosts whose plan failed: shown, and the real run leaves them alone (core/plan.ts). */
function unplanned(errors: readonly HostErrorRecord[]): string {
  return errors.map((e) => `${e.host}: cannot be planned: ${e.message} (${e.code}); nothing will be done there\n`).join('');
}

/** Refused and not-found targets: what will not happen, and why. */
function rejected(a: ActionRecord): Row | null {
  if (a.status !== 'refused' && a.status !== 'not-found') return null;
  return { host: a.host, id: a.sessionId, user: a.username, state: a.state ?? '', plan: `${a.status}: ${a.reason ?? ''}` };
}

const plannedLogoffs = (actions: readonly ActionRecord[]): ActionRecord[] => actions.filter((a) => a.action === 'logoff' && a.status === 'planned');

const sessions = (n: number): string => (n === 1 ? '1 user session' : n === 0 ? 'no user sessions' : `${n} user sessions`);

/**
 * logoff's plan: one row per session (host, id, user, state) saying what happens to it: a warning first, or
 * "loses unsaved work" for an Active user logged off without one.
 * @example logoffPlan(dryRun, { what: 'EVERY user session on rds01', grace: null }).question // 'Log off these 2 sessions on rds01?'
 */
export function logoffPlan(report: ActionReport, o: { what: string; grace: string | null }): ShownPlan {
  const rows: Row[] = [];
  for (const a of report.actions) {
    const no = rejected(a);
    if (no) rows.push(no);
    if (a.action !== 'logoff' || a.status !== 'planned') continue;
    const active = a.state === 'Active';
    const plan =
      o.grace === null ? (active ? 'log off: loses unsaved work' : 'log off') : active ? (o.grace === '0' ? 'warn, then log off' : `warn, then log off ${o.grace} later`) : 'log off (cannot see a warning)';
    rows.push({ host: a.host, id: a.sessionId, user: a.username, state: a.state ?? '', plan });
  }
  const targets = plannedLogoffs(report.actions);
  const hosts = [...new Set(targets.map((a) => a.host))];
  const which = targets.length === 1 ? 'this session' : `these ${targets.length} sessions`;
  return {
    text: `Plan: log off ${o.what}:\n${table(rows)}${unplanned(report.errors)}`,
    question: targets.length === 0 ? null : `Log off ${which} on ${hostCount(hosts)}?`,
  };
}

/**
 * drain's plan: what each host goes through, and per user session whether it is warned first. Users who
 * come later are drained too (the host is emptied): the plan says so rather than pretending to a list.
 */
export function drainPlan(report: DrainReport, o: { servers: readonly string[]; mode: string; grace: string; graceMs: number }): ShownPlan {
  const rows: Row[] = [];
  const notes: string[] = [];
  const failed = new Set(report.errors.map((e) => e.host.toLowerCase()));
  for (const h of report.hosts) {
    if (failed.has(h.host.toLowerCase())) continue;
    const mine = report.actions.filter((a) => sameHost(a.host, h.host));
    const before = rows.length;
    for (const a of mine) {
      const no = rejected(a);
      if (no) rows.push(no);
      if (a.action !== 'logoff' || a.status !== 'planned') continue;
      const active = a.state === 'Active';
      const plan = o.graceMs === 0 ? (active ? 'log off: loses unsaved work (no grace, no warning)' : 'log off') : active ? 'warn, then log off after the grace' : 'log off after the grace (cannot see a warning)';
      rows.push({ host: a.host, id: a.sessionId, user: a.username, state: a.state ?? '', plan });
    }
    if (rows.length === before) rows.push({ host: h.host, id: null, user: null, state: '', plan: 'no user sessions' });
    if (h.status === 'failed' && h.reason) notes.push(`${h.host}: will end failed: ${h.reason}\n`);
  }
  const block = o.mode === 'none' ? 'leave logons open (--block-logons none)' : `block new logons (${o.mode})`;
  const wait = o.graceMs === 0 ? 'log off everyone at once' : `warn Active users, log off everyone left after ${o.grace}`;
  const drained = report.hosts.filter((h) => !failed.has(h.host.toLowerCase())).map((h) => h.host);
  // Never more than shown, but a drain empties its hosts: whoever comes between this plan and the end is named as a rule.
  const later =
    o.graceMs === 0
      ? 'Besides these, users who log on before the drain reaches the host are logged off too: a drain empties the host.\n'
      : 'Besides these, users who reconnect or log on before the end are warned and logged off too: a drain empties the host.\n';
  return {
    text: `Plan: drain ${hostCount(o.servers)}: ${block}, ${wait}, verify each host is empty:\n${table(rows)}${notes.join('')}${unplanned(report.errors)}${later}`,
    question: drained.length === 0 ? null : `Drain ${hostCount(drained)} (${sessions(plannedLogoffs(report.actions).length)})?`,
  };
}

/** logons' plan: each host's logon state now, and what it is set to. */
export function logonsPlan(report: LogonsReport, action: string): ShownPlan {
  const changed = report.actions.filter((a) => a.status === 'planned').map((a) => a.host);
  const rows = report.hosts.filter((h) => changed.some((c) => sameHost(c, h.host)));
  const text = rows.length === 0 ? '' : renderTable(rows, [{ header: 'HOST', value: (h) => h.host }, { header: 'LOGONS NOW', value: (h) => h.state }, { header: 'AFTER', value: () => action }], plain);
  return {
    text: `Plan: set logons to ${action}:\n${text}${unplanned(report.errors)}`,
    question: changed.length === 0 ? null : `Set logons to ${action} on ${hostCount(changed)}?`,
  };
}
