import type { Paint, Style } from './color.js';
import { sanitizeCell } from '../terminal.js';
import { displayWidth, padCell } from './width.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null;
  align?: 'left' | 'right';
  style?: (row: Row) => Style | null;
}

/**
 * A plain-text table aligned by display width (a CJK character takes two columns), two spaces between
 * columns, no trailing spaces. Colour is applied after padding so escape codes never count as width.
 *
 * @example
 * renderTable([{ id: 2 }], [{ header: 'ID', value: (r) => r.id, align: 'right' }], (s, t) => t)
 * // → "ID\n 2\n"
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], paint: Paint): string {
  const cells = rows.map((row) => columns.map((c) => sanitizeCell(String(c.value(row) ?? ''))));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const line = (parts: string[]): string => parts.join('  ').replace(/ +$/, '');
  const header = line(columns.map((c, i) => paint('bold', padCell(c.header, widths[i] ?? 0, c.align))));
  const body = cells.map((r, rowIndex) =>
    line(
      columns.map((c, i) => {
        const row = rows[rowIndex] as Row;
        return paint(c.style?.(row) ?? null, padCell(r[i] ?? '', widths[i] ?? 0, c.align));
      }),
    ),
  );
  return [header, ...body].join('\n') + '\n';
}
