/** Minutes in a year: quser idle values beyond it are glitches (`24692+13:29`, PSQuser issue 7). */
const MAX_IDLE_MINUTES = 366 * 24 * 60;

// Words quser prints for "idle under a minute". Verified in fixtures: en `none` (008), de `Kein` (011),
// es `ninguno` (014), fr `aucun` (060), ru `отсутствует` (065, 066).
// Unverified: the other translations below are the usual words for "none" in each language.
const NONE_WORDS = new Set([
  'none', 'kein', 'keine', 'aucun', 'aucune', 'ninguno', 'nessuno', 'nenhum', 'nenhuma', 'отсутствует', 'нет',
  '无', 'なし', '없음', 'geen', 'brak', 'ingen', 'inget', 'žádný', 'hiçbiri', 'nincs', 'ei',
]);

const NUMERIC = /^(?:(\d+)\+)?(?:(\d+):)?(\d+)$/;

/**
 * Reads quser's IDLE TIME: `.`/`none` (and translations) → 0, `N` → N minutes, `H:MM`, `D+HH:MM`.
 * Unknown values (`*`, unreadable text, more than a year) → null.
 * @example parseIdleTime('1+00:53') // 1493
 */
export function parseIdleTime(text: string): number | null {
  if (text === '.') return 0;
  const value = text.trim();
  if (value === '.' || NONE_WORDS.has(value.toLowerCase())) return 0;
  const m = NUMERIC.exec(value);
  if (!m) return null;
  const days = m[1] === undefined ? 0 : Number(m[1]);
  const hours = m[2] === undefined ? 0 : Number(m[2]);
  const minutes = Number(m[3]);
  // In the H:MM forms the minutes are always two digits below 60; anything else is not an idle time.
  if (m[2] !== undefined && (m[3]?.length !== 2 || minutes > 59)) return null;
  if (m[1] !== undefined && (m[2] === undefined || hours > 23)) return null;
  const total = days * 1440 + hours * 60 + minutes;
  return total > MAX_IDLE_MINUTES ? null : total;
}

/**
 * True when `text` is a form quser prints in IDLE TIME, even if its value is unknown (`*`, glitches).
 * Parsers flag anything else as BAD_IDLE.
 */
export function isIdleForm(text: string): boolean {
  if (text === '.' || text === '*') return true;
  const value = text.trim();
  return value === '*' || value === '.' || NONE_WORDS.has(value.toLowerCase()) || NUMERIC.test(value);
}

/** readIdleSpan's answer when the text is not `.`/digits-only and needs parseIdleTime / isIdleForm. */
export const IDLE_ASK_GENERAL = -2;
/** readIdleSpan's answer for a valid form with no usable value (parseIdleTime's null). */
export const IDLE_UNKNOWN = -1;

/**
 * parseIdleTime for `line[start, end)` without a regex or substring, for the digit forms and `.`;
 * IDLE_ASK_GENERAL for anything else (words, `*`, over-long numbers).
 */
export function readIdleSpan(line: string, start: number, end: number): number {
  if (end - start === 1 && line.charCodeAt(start) === 46) return 0;
  // NUMERIC's groups `[days+][hours:]minutes`, read left to right; -1 = absent.
  let days = -1;
  let hours = -1;
  let value = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 6) return IDLE_ASK_GENERAL;
      value = value * 10 + c - 48;
      continue;
    }
    if (digits === 0) return IDLE_ASK_GENERAL;
    if (c === 43 && days < 0 && hours < 0) days = value;
    else if (c === 58 && hours < 0) hours = value;
    else return IDLE_ASK_GENERAL;
    value = 0;
    digits = 0;
  }
  if (digits === 0) return IDLE_ASK_GENERAL;
  if (hours >= 0 && (digits !== 2 || value > 59)) return IDLE_UNKNOWN;
  if (days >= 0 && (hours < 0 || hours > 23)) return IDLE_UNKNOWN;
  const total = Math.max(days, 0) * 1440 + Math.max(hours, 0) * 60 + value;
  return total > MAX_IDLE_MINUTES ? IDLE_UNKNOWN : total;
}
