import type { SimLanguage, SimSession } from './farm.js';
import { formatDotNet } from './dotnet-date.js';
import { LOCALES, stateWord } from './locale.js';
import { LineBuilder } from './text-width.js';

/** How a query is printed: the language, the caller's date format, and which session gets `>`. */
export interface RenderOptions {
  language?: SimLanguage;
  shortDate: string;
  shortTime: string;
  /** The caller's session id when the query is local; null for /server: queries. */
  currentSessionId: number | null;
  layout?: 'narrow' | 'wide';
}

// Column starts measured on the captured English output (fixtures 003, 031, 034); every real
// localized header and row uses the same display columns.
const QUSER_COLS = [1, 23, 42, 46, 54, 65] as const;
const QWINSTA_NARROW = [1, 19, 44, 48, 56, 68] as const;
const WIDE_SHIFT = 8;
const CRLF = '\r\n';

function headerFrom(words: readonly string[], cols: readonly number[]): string {
  const line = new LineBuilder().put(' ', 0);
  words.forEach((word, i) => line.put(word, cols[i] ?? 0, i === 0 ? 0 : 1));
  return line.toString();
}

function idleText(session: SimSession, none: string): string | null {
  const minutes = session.idleMinutes === undefined ? (session.name?.toLowerCase() === 'console' ? null : 0) : session.idleMinutes;
  if (minutes === null) return null;
  if (minutes === 0) return '.';
  if (minutes < 60) return String(minutes);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = String(minutes % 60).padStart(2, '0');
  return days > 0 ? `${days}+${String(hours).padStart(2, '0')}:${mins}` : `${hours}:${mins}`;
}

function logonText(session: SimSession, options: RenderOptions): string {
  const iso = session.logon ?? '2026-01-05T08:00';
  return `${formatDotNet(options.shortDate, iso)} ${formatDotNet(options.shortTime, iso)}`;
}

/**
 * quser / `query user` output for the user sessions among `sessions`, CRLF line endings, header first.
 * Returns null when no row is printed (quser then reports "No User exists").
 * @example renderQuser(host.sessions, { language: 'de', shortDate: 'dd.MM.yyyy', shortTime: 'HH:mm', currentSessionId: null })
 */
export function renderQuser(sessions: readonly SimSession[], options: RenderOptions): string | null {
  const locale = LOCALES[options.language ?? 'en'];
  const rows = sessions.filter((s) => s.user !== null && s.state !== 'Listen');
  if (rows.length === 0) return null;
  const stateEnd = QUSER_COLS[3] + (locale.quserStateWidth ?? 8);
  const lines = [locale.quserHeader ?? headerFrom(locale.quserWords, QUSER_COLS)];
  for (const s of rows) {
    const line = new LineBuilder()
      .put(s.id === options.currentSessionId ? '>' : ' ', 0)
      .put(s.user ?? '', QUSER_COLS[0], 0)
      .put(s.state === 'Disc' ? '' : (s.name ?? ''), QUSER_COLS[1])
      .putRight(String(s.id), QUSER_COLS[2] + 1)
      .put(stateWord(options.language ?? 'en', s.state), QUSER_COLS[3]);
    const idle = idleText(s, locale.none);
    if (idle === null) {
      // The "none" word is left-aligned four columns into IDLE TIME and followed by three spaces
      // (fixtures 008, 011, 014: a long word such as `ninguno` pushes LOGON TIME right).
      line.put(locale.none, stateEnd + 4);
      line.put(logonText(s, options), Math.max(QUSER_COLS[5], line.column + 3));
    } else {
      line.putRight(idle, stateEnd + 8);
      line.put(logonText(s, options), Math.max(QUSER_COLS[5], line.column + 2));
    }
    lines.push(line.toString());
  }
  return lines.join(CRLF) + CRLF;
}

/**
 * qwinsta / `query session` output for every session (services, console, listeners included).
 * @example renderQuerySession(host.sessions, { shortDate: 'M/d/yyyy', shortTime: 'h:mm tt', currentSessionId: 1 })
 */
export function renderQuerySession(sessions: readonly SimSession[], options: RenderOptions): string {
  const locale = LOCALES[options.language ?? 'en'];
  const shift = options.layout === 'wide' ? WIDE_SHIFT : 0;
  const cols = QWINSTA_NARROW.map((c, i) => (i === 0 ? c : c + shift));
  let header = locale.qwinstaHeader ?? headerFrom(locale.qwinstaWords, cols);
  if (locale.qwinstaHeader && shift > 0) header = header.slice(0, 19) + ' '.repeat(shift) + header.slice(19);
  const lines = [header];
  for (const s of sessions) {
    const line = new LineBuilder()
      .put(s.id === options.currentSessionId ? '>' : ' ', 0)
      .put(s.state === 'Disc' && s.user !== null ? '' : (s.name ?? ''), cols[0] ?? 1, 0)
      .put(s.user ?? '', cols[1] ?? 19)
      .putRight(String(s.id), (cols[2] ?? 44) + 1)
      .put(stateWord(options.language ?? 'en', s.state), cols[3] ?? 48);
    lines.push(line.toString());
  }
  return lines.join(CRLF) + CRLF;
}
