import type { RolloutHostReport, RolloutReport } from '../../core/rollout/types.js';
import type { Style } from '../format/color.js';
import { renderCsv } from '../format/csv.js';
import { renderTable, type Column } from '../format/table.js';
import { ndjsonWithErrors, type RenderContext } from '../render.js';

function statusStyle(status: string): Style | null {
  if (status === 'done') return 'green';
  if (status === 'failed') return 'red';
  if (status === 'interrupted') return 'yellow';
  return status === 'pending' ? 'cyan' : null;
}

type Row = RolloutHostReport & { wave: number | null };

const COLUMNS: Column<Row>[] = [
  { header: 'HOST', value: (h) => h.host },
  { header: 'WAVE', value: (h) => h.wave, align: 'right' },
  { header: 'STATUS', value: (h) => h.status, style: (h) => statusStyle(h.status) },
  { header: 'PHASE', value: (h) => h.phase },
  { header: 'LOGONS', value: (h) => h.logons, style: (h) => (h.logons === 'blocked' ? 'yellow' : null) },
  { header: 'REASON', value: (h) => h.reason },
];

/** Hosts with the wave each ran in (null: not started). */
export function rolloutRows(report: Pick<RolloutReport, 'hosts' | 'waves'>): Row[] {
  const waveOf = new Map(report.waves.flatMap((w, i) => w.map((host) => [host, i + 1] as const)));
  return report.hosts.map((h) => ({ ...h, wave: waveOf.get(h.host) ?? null }));
}

/** `rollout` and `rollout status` output: the whole report as JSON, one host per line/row otherwise. */
export function renderRollout(ctx: RenderContext, report: RolloutReport): string {
  const rows = rolloutRows(report);
  switch (ctx.format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'ndjson':
      // As every command's stream: the hosts, then one {"type":"error",host,code,message} per host error.
      return ndjsonWithErrors(rows, report.errors);
    case 'csv':
      return renderCsv(['host', 'wave', 'status', 'phase', 'logons', 'reason'], rows.map((r) => [r.host, r.wave, r.status, r.phase, r.logons, r.reason]));
    case 'table':
      return rows.length === 0 ? '' : renderTable(rows, COLUMNS, ctx.paint);
  }
}
