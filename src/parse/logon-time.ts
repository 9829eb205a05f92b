import type { DateOrder } from '../types.js';

/** A LOGON TIME read as far as the text allows; the day/month order may still be open. */
export interface LogonReading {
  /** `fixed`: the order is certain from this text alone (year-first, month name, dotted). */
  kind: 'fixed' | 'open';
  /** For `fixed`: year, month, day. For `open`: first number, second number, year (or third number). */
  parts: [number, number, number];
  /** Year printed with two digits (its position is not evident from the text). */
  shortYear: boolean;
  /** Which order this text itself proves (a part over 12, dotted form), if any. */
  evidence: DateOrder | null;
  hour: number;
  minute: number;
}

// English, German, French, Spanish, Italian and Portuguese month abbreviations (for `dd-MMM-yy` cultures).
const MONTHS = new Map<string, number>();
[
  'jan feb mar apr may jun jul aug sep oct nov dec',
  'jan feb mär apr mai jun jul aug sep okt nov dez',
  'janv févr mars avr mai juin juil août sept oct nov déc',
  'ene feb mar abr may jun jul ago sep oct nov dic',
  'gen feb mar apr mag giu lug ago set ott nov dic',
  'jan fev mar abr mai jun jul ago set out nov dez',
].forEach((row) => row.split(' ').forEach((name, i) => MONTHS.set(name, i + 1)));
MONTHS.set('mrz', 3).set('sept', 9).set('fév', 2).set('aoû', 8).set('déc', 12);

const AM = new Set(['am', 'a', '午前', '上午', '오전', 'ص', 'vorm']);
const PM = new Set(['pm', 'p', '午後', '下午', '오후', 'م', 'nachm']);
const TIME = /^(?:([^\d\s:]+(?: [^\d\s:]+)?) ?)?(\d{1,2})[:.](\d{2})(?::\d{2})?(?: ?([^\d\s:]+(?: [^\d\s:]+)?))?$/u;
const DATE_TOKEN = /^(\d{1,4}|\p{L}{3,}\.?)([/.-])(\d{1,2}|\p{L}{3,}\.?)\2(\d{1,4})\.?$/u;

/** True when a token has the shape of a short date (`24.11.2026`, `2026/10/10`, `18-Nov-22`). */
export function isDateToken(text: string): boolean {
  // Cheap pre-check: most tokens on a row (names, states, idle values) have no date separator at all.
  if (text.indexOf('/') < 0 && text.indexOf('.') < 0 && text.indexOf('-') < 0) return false;
  return DATE_TOKEN.test(text);
}

/**
 * Reads `date time [AM/PM]` as printed in LOGON TIME; null when the text is not a date and time.
 * @example readLogonText('25/7/2018 7:46')?.evidence // 'dmy'
 */
export function readLogonText(dateText: string, timeText: string): LogonReading | null {
  const d = DATE_TOKEN.exec(dateText);
  const t = TIME.exec(timeText);
  if (!d || !t) return null;
  let hour = Number(t[2]);
  const minute = Number(t[3]);
  const marker = t[1] ?? t[4];
  if (t[1] !== undefined && t[4] !== undefined) return null;
  if (marker !== undefined) {
    const key = marker.toLowerCase().replace(/[.\s]/g, '');
    if (hour < 1 || hour > 12) return null;
    if (AM.has(key)) hour = hour === 12 ? 0 : hour;
    else if (PM.has(key)) hour = hour === 12 ? 12 : hour + 12;
    else return null;
  }
  if (hour > 23 || minute > 59) return null;
  const [a, sep, b, c] = [d[1] ?? '', d[2] ?? '', d[3] ?? '', d[4] ?? ''];
  const month = (s: string): number | undefined => MONTHS.get(s.toLowerCase().replace(/\.$/, ''));
  if (!/^\d/.test(a) || !/^\d/.test(b)) {
    const named = month(/^\d/.test(a) ? b : a);
    if (named === undefined) return null;
    // `dd-MMM-yy`, `yyyy-MMM-dd` or `MMM-dd-yyyy`: the name fixes the month, digits count fixes the year.
    const parts: [number, number, number] = /^\d/.test(a)
      ? a.length === 4 ? [Number(a), named, Number(c)] : [year(c), named, Number(a)]
      : [year(c), named, Number(b)];
    return { kind: 'fixed', parts, shortYear: false, evidence: null, hour, minute };
  }
  if (a.length === 4) return { kind: 'fixed', parts: [Number(a), Number(b), Number(c)], shortYear: false, evidence: 'ymd', hour, minute };
  if (a.length > 2 || (c.length !== 4 && c.length !== 2)) return null;
  const first = Number(a);
  const second = Number(b);
  const evidence: DateOrder | null =
    c.length === 2 ? null : sep === '.' || first > 12 ? (second > 12 ? null : 'dmy') : second > 12 ? 'mdy' : null;
  return { kind: 'open', parts: [first, second, Number(c)], shortYear: c.length === 2, evidence, hour, minute };
}

function year(text: string): number {
  // Two-digit years: logon times are recent, so 20yy. Unverified for dates before 2000 (no such output seen).
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/**
 * ISO local `YYYY-MM-DDTHH:mm` for a reading under a day/month order; null when the order is unknown (and
 * matters: day and month differ) or the date does not exist (e.g. day 31 in a 30-day month under the chosen order).
 */
export function toIsoLocal(reading: LogonReading, order: DateOrder | null): string | null {
  let y: number;
  let m: number;
  let d: number;
  const [p, q, r] = reading.parts;
  if (reading.kind === 'fixed') [y, m, d] = [p, q, r];
  // Day and month equal (`2/2/2021`): both orders read the same date, so none is needed. Not with a
  // two-digit year, which may also be year-first (`21/2/2` read the other way round).
  else if (order === null && p === q && !reading.shortYear) [y, m, d] = [r, q, p];
  else if (order === null) return null;
  else if (reading.shortYear) {
    if (order === 'ymd') [y, m, d] = [2000 + p, q, r];
    else [y, m, d] = order === 'dmy' ? [2000 + r, q, p] : [2000 + r, p, q];
  } else if (order === 'ymd') return null;
  else [y, m, d] = order === 'dmy' ? [r, q, p] : [r, p, q];
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || y < 1970 || y > 2999) return null;
  return isoDay(y, m, d) + isoTime(reading.hour, reading.minute);
}

// A big output repeats few days and minutes: sharing `YYYY-MM-DDT` and `HH:mm` strings makes each result
// one join of two existing strings instead of a chain of fresh pieces.
const DAYS = new Map<number, string>();
const TIMES: string[] = [];

function isoDay(y: number, m: number, d: number): string {
  const key = (y * 100 + m) * 100 + d;
  let text = DAYS.get(key);
  if (text === undefined) {
    text = `${y}-${pad(m)}-${pad(d)}T`;
    if (DAYS.size < 10_000) DAYS.set(key, text);
  }
  return text;
}

function isoTime(hour: number, minute: number): string {
  // Readings from readLogonText are whole minutes of a day; anything else is built but not cached.
  if (!Number.isInteger(hour) || !Number.isInteger(minute) || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return `${pad(hour)}:${pad(minute)}`;
  }
  return (TIMES[hour * 60 + minute] ??= `${pad(hour)}:${pad(minute)}`);
}

function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
