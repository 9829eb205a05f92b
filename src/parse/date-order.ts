import type { DateOrder } from '../types.js';

/**
 * Day/month/year order of a .NET ShortDatePattern or the registry's sShortDate (`M/d/yyyy`, `dd.MM.yyyy`,
 * `yyyy/M/d`, `dd-MMM-yy` …). Quoted literals are skipped. Null when the pattern lacks a part or uses an
 * order quser output cannot be read with (e.g. `yyyy/dd/MM`).
 * @example dateOrderFromPattern('d/MM/yyyy') // 'dmy'
 */
export function dateOrderFromPattern(shortDatePattern: string): DateOrder | null {
  const unquoted = shortDatePattern.replace(/'[^']*'|"[^"]*"|\\./g, '');
  const d = unquoted.indexOf('d');
  const m = unquoted.indexOf('M');
  const y = unquoted.indexOf('y');
  if (d < 0 || m < 0 || y < 0) return null;
  if (d < m && m < y) return 'dmy';
  if (m < d && d < y) return 'mdy';
  if (y < m && m < d) return 'ymd';
  return null;
}
