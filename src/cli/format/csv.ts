import { sanitizeForTerminal } from '../terminal.js';

// Spreadsheets execute cells that start with these (CSV/formula injection, OWASP): a username or session
// name from a remote host must stay text. Tab and CR are included as Excel treats them the same way.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted when needed, formula-looking values prefixed with `'`, and terminal controls
 * (text from a host) replaced with U+FFFD, as in tables: CSV is read by people and spreadsheets; JSON is
 * the format that keeps the exact text.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = typeof value === 'string' ? sanitizeForTerminal(value) : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV with a header row and CRLF line ends (RFC 4180).
 *
 * @example
 * renderCsv(['id', 'username'], [[2, '=cmd']]) // → 'id,username\r\n2,\'=cmd\r\n'
 */
export function renderCsv(headers: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
