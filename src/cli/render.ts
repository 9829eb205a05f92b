import type { ActionRecord, DrainHostReport, HostErrorRecord, LogonsHostReport } from '../core/types.js';
import type { ParseIssue, SessionRecord } from '../types.js';
import type { Paint, Style } from './format/color.js';
import { renderCsv } from './format/csv.js';
import { renderTable, type Column } from './format/table.js';
import { escapeJsonControls, oneLine } from './terminal.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

export interface RenderContext {
  format: OutputFormat;
  paint: Paint;
}

// The WTS source's fields come last and are always there (empty for text records), so the header is the same
// whatever the source and the first columns keep their place.
const SESSION_FIELDS = [
  'host', 'id', 'username', 'sessionName', 'state', 'stateText', 'idleMinutes', 'idleText',
  'logonTime', 'logonText', 'isCurrent', 'type', 'device',
  'source', 'domain', 'clientName', 'clientAddress', 'clientProtocol', 'lastInputTime', 'disconnectTime',
] as const satisfies readonly (keyof SessionRecord)[];

const ACTION_FIELDS = ['host', 'sessionId', 'username', 'action', 'status', 'reason'] as const satisfies readonly (keyof ActionRecord)[];

function stateStyle(state: string): Style | null {
  if (state === 'Active') return 'green';
  if (state === 'Disconnected') return 'yellow';
  return null;
}

function statusStyle(status: string): Style | null {
  if (status === 'done' || status === 'already-gone' || status === 'drained') return 'green';
  if (status === 'failed' || status === 'not-found' || status === 'refused') return 'red';
  if (status === 'planned' || status === 'skipped') return 'cyan';
  return null;
}

/** LOGON TIME as the local wall-clock time the host printed (ISO when it was read unambiguously); WTS: UTC to the minute. */
function logonShown(s: SessionRecord): string {
  if (s.logonTime?.endsWith('Z')) return `${s.logonTime.slice(0, 10)} ${s.logonTime.slice(11, 16)} UTC`;
  return s.logonTime ? s.logonTime.replace('T', ' ') : (s.logonText ?? '');
}

/** Which command printed the records: query session has TYPE and DEVICE where quser has IDLE and LOGON TIME. */
export type SessionLayout = 'quser' | 'query-session';

function sessionColumns(sessions: readonly SessionRecord[], layout: SessionLayout | undefined): Column<SessionRecord>[] {
  const columns: Column<SessionRecord>[] = [];
  if (sessions.some((s) => s.host !== null)) columns.push({ header: 'HOST', value: (s) => s.host });
  columns.push(
    { header: 'USERNAME', value: (s) => (s.isCurrent ? `>${s.username ?? ''}` : s.username) },
    { header: 'SESSIONNAME', value: (s) => s.sessionName },
    { header: 'ID', value: (s) => s.id, align: 'right' },
    { header: 'STATE', value: (s) => s.state, style: (s) => stateStyle(s.state) },
  );
  if (layout === 'query-session' || (layout === undefined && sessions.some((s) => s.type !== null || s.device !== null))) {
    columns.push({ header: 'TYPE', value: (s) => s.type }, { header: 'DEVICE', value: (s) => s.device });
  } else {
    columns.push({ header: 'IDLE', value: (s) => s.idleText, align: 'right' }, { header: 'LOGON TIME', value: logonShown });
    // The WTS source knows the client; text never does, so the column appears only when there is something in it.
    if (sessions.some((s) => s.clientName)) columns.push({ header: 'CLIENT', value: (s) => s.clientName ?? null });
  }
  return columns;
}

const ACTION_COLUMNS: Column<ActionRecord>[] = [
  { header: 'HOST', value: (a) => a.host },
  { header: 'ID', value: (a) => a.sessionId, align: 'right' },
  { header: 'USERNAME', value: (a) => a.username },
  { header: 'ACTION', value: (a) => a.action },
  { header: 'STATUS', value: (a) => a.status, style: (a) => statusStyle(a.status) },
  { header: 'REASON', value: (a) => a.reason },
];

function jsonDocument(doc: Record<string, unknown>): string {
  return escapeJsonControls(JSON.stringify(doc, null, 2)) + '\n';
}

function ndjson(items: readonly unknown[]): string {
  return items.map((i) => escapeJsonControls(JSON.stringify(i)) + '\n').join('');
}

/**
 * ndjson records, then one `{"type":"error",host,code,message}` per host error: a consumer of the stream
 * alone (`| jq`) learns that a host failed, as it does from JSON's `errors`. Session records' own `type` is
 * query session's TYPE column (a protocol driver or null), never "error".
 */
export function ndjsonWithErrors(items: readonly unknown[], errors: readonly HostErrorRecord[] | undefined): string {
  return ndjson(items) + ndjson((errors ?? []).map((e) => ({ type: 'error', host: e.host, code: e.code, message: e.message })));
}


function rowsOf<T>(items: readonly T[], fields: readonly (keyof T)[]): (string | number | boolean | null)[][] {
  // An absent optional field is an empty cell, never the text "undefined".
  return items.map((i) => fields.map((f) => (i[f] ?? null) as string | number | boolean | null));
}

/** `list` and `parse` output. `extra` carries `errors` (list) or `issues` (parse) into the JSON document. */
export function renderSessions(
  ctx: RenderContext,
  sessions: readonly SessionRecord[],
  extra: Record<string, readonly unknown[]>,
  layout?: SessionLayout,
): string {
  switch (ctx.format) {
    case 'json':
      return jsonDocument({ sessions, ...extra });
    case 'ndjson':
      return ndjsonWithErrors(sessions, extra['errors'] as readonly HostErrorRecord[] | undefined);
    case 'csv':
      return renderCsv(SESSION_FIELDS, rowsOf(sessions, SESSION_FIELDS));
    case 'table':
      return sessions.length === 0 ? '' : renderTable(sessions, sessionColumns(sessions, layout), ctx.paint);
  }
}

/** logoff / message / drain / logons output: actions, plus per-host summaries for drain and logons. */
export function renderActions(
  ctx: RenderContext,
  report: { actions: readonly ActionRecord[]; errors: readonly HostErrorRecord[]; interrupted?: boolean; hosts?: readonly (DrainHostReport | LogonsHostReport)[] },
): string {
  const { actions, errors, hosts } = report;
  switch (ctx.format) {
    case 'json':
      return jsonDocument({ ...(hosts ? { hosts } : {}), actions, errors, ...(report.interrupted ? { interrupted: true } : {}) });
    case 'ndjson':
      return ndjsonWithErrors(actions, errors);
    case 'csv':
      return renderCsv(ACTION_FIELDS, rowsOf(actions, ACTION_FIELDS));
    case 'table': {
      const parts: string[] = [];
      if (hosts && hosts.length > 0) parts.push(renderHosts(hosts, ctx.paint));
      if (actions.length > 0) parts.push(renderTable(actions, ACTION_COLUMNS, ctx.paint));
      return parts.join('\n');
    }
  }
}

/**
 * `logons status` changes nothing, so it has no actions: its records are the hosts' states. JSON carries
 * them in `hosts` already; ndjson and csv print one `{host, state}` record per host (they printed nothing).
 */
export function renderLogonStates(ctx: RenderContext, report: { hosts: readonly LogonsHostReport[]; actions: readonly ActionRecord[]; errors: readonly HostErrorRecord[]; interrupted?: boolean }): string {
  if (ctx.format === 'ndjson') return ndjsonWithErrors(report.hosts, report.errors);
  if (ctx.format === 'csv') return renderCsv(['host', 'state'], report.hosts.map((h) => [h.host, h.state]));
  return renderActions(ctx, report);
}

function sessionsLeftText(left: readonly SessionRecord[]): string | null {
  if (left.length === 0) return null;
  const named = left.slice(0, 3).map((x) => `${x.username ?? x.sessionName ?? '?'} (${x.id})`).join(', ');
  return `${left.length} session(s) left: ${named}${left.length > 3 ? ', …' : ''}`;
}

function renderHosts(hosts: readonly (DrainHostReport | LogonsHostReport)[], paint: Paint): string {
  type Row = DrainHostReport | LogonsHostReport;
  const host: Column<Row> = { header: 'HOST', value: (h) => h.host };
  // logons reports have a state and nothing else to say: no empty DETAIL column.
  const columns: Column<Row>[] = !('status' in (hosts[0] ?? {}))
    ? [host, { header: 'LOGONS', value: (h) => ('state' in h ? h.state : null) }]
    : [
        host,
        { header: 'STATUS', value: (h) => ('status' in h ? h.status : null), style: (h) => ('status' in h ? statusStyle(h.status) : null) },
        { header: 'DETAIL', value: (h) => ('status' in h ? [h.reason, sessionsLeftText(h.sessionsLeft)].filter(Boolean).join('; ') : null) },
      ];
  return renderTable(hosts, columns, paint);
}

/**
 * One line per host error on stderr, whatever the output format: stdout stays machine-readable. Lines, not
 * characters, are made safe here: stderr itself sanitizes control characters (createTerminalStream).
 */
export function renderErrorLines(errors: readonly HostErrorRecord[]): string {
  return errors.map((e) => `session-logoff: ${oneLine(e.host)}: ${oneLine(e.message)} (${e.code})\n`).join('');
}

export function renderIssueLines(issues: readonly ParseIssue[]): string {
  return issues.map((i) => `session-logoff: line ${i.line}: ${oneLine(i.message)} (${i.code})\n`).join('');
}
