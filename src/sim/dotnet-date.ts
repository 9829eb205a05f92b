const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const TOKEN = /'[^']*'|"[^"]*"|yyyy|yy|MMM|MM|M|dd|d|HH|H|hh|h|mm|ss|tt|\\./g;

/**
 * Formats an ISO local time (`2026-11-24T09:03`) with a .NET custom pattern such as `M/d/yyyy h:mm tt`,
 * the culture setting quser uses for LOGON TIME. Supports the tokens short date/time patterns use.
 * @example formatDotNet('dd.MM.yyyy HH:mm', '2025-04-28T12:03') // '28.04.2025 12:03'
 */
export function formatDotNet(pattern: string, isoLocal: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(isoLocal);
  if (!m) return isoLocal;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? '0');
  const y = year ?? 0;
  const mo = month ?? 1;
  const d = day ?? 1;
  const h = hour ?? 0;
  const min = minute ?? 0;
  const two = (n: number): string => String(n).padStart(2, '0');
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return pattern.replace(TOKEN, (t) => {
    switch (t) {
      case 'yyyy': return String(y).padStart(4, '0');
      case 'yy': return two(y % 100);
      case 'MMM': return MONTHS[mo - 1] ?? '';
      case 'MM': return two(mo);
      case 'M': return String(mo);
      case 'dd': return two(d);
      case 'd': return String(d);
      case 'HH': return two(h);
      case 'H': return String(h);
      case 'hh': return two(h12);
      case 'h': return String(h12);
      case 'mm': return two(min);
      case 'ss': return two(second);
      case 'tt': return h < 12 ? 'AM' : 'PM';
      default: return t.startsWith('\\') ? t.slice(1) : t.slice(1, -1);
    }
  });
}
