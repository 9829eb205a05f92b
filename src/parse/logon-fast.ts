import type { DateOrder } from '../types.js';
import type { LogonReading } from './logon-time.js';

// Character-level reading of the all-digit LOGON TIME forms (`25/7/2018 7:46 PM`, `24.11.2026 09:03`),
// which are nearly every row. It accepts a subset of what readLogonText's regexes accept and returns
// exactly what readLogonText would; anything else (month names, markers before the time, seconds-less
// oddities) is left to readLogonText.

/** The last date read by `readNumericDate` (module scratch, so no object per row). */
const date = { a: 0, aLen: 0, sep: 0, b: 0, c: 0, cLen: 0 };

function readNumber(line: string, from: number, end: number, maxLen: number): number {
  let i = from;
  let value = 0;
  while (i < end && i - from < maxLen) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    i++;
  }
  lastValue = value;
  return i - from;
}
let lastValue = 0;

/**
 * True when `line[start, end)` is `d{1,4} sep d{1,2} sep d{1,4}` with one separator of `/ . -`; such a
 * word is a date to `isDateToken`. Leaves its parts in module scratch for `readNumericLogon`.
 */
export function readNumericDate(line: string, start: number, end: number): boolean {
  const aLen = readNumber(line, start, end, 4);
  if (aLen === 0) return false;
  date.a = lastValue;
  date.aLen = aLen;
  let i = start + aLen;
  const sep = line.charCodeAt(i);
  if (sep !== 47 && sep !== 46 && sep !== 45) return false;
  const bLen = readNumber(line, ++i, end, 2);
  if (bLen === 0) return false;
  date.b = lastValue;
  i += bLen;
  if (line.charCodeAt(i) !== sep) return false;
  const cLen = readNumber(line, ++i, end, 4);
  if (cLen === 0 || i + cLen !== end) return false;
  date.sep = sep;
  date.c = lastValue;
  date.cLen = cLen;
  return true;
}

/**
 * Reads `H:MM[:SS]` at `line[start, end)` plus an optional separate `AM`/`PM` word, after a successful
 * `readNumericDate`. Undefined when the text needs readLogonText (including every invalid case). The
 * reading returned is shared and overwritten by the next call: hand it to `defer` straight away.
 */
export function readNumericLogon(line: string, start: number, end: number, markerStart: number, markerEnd: number): LogonReading | undefined {
  const hLen = readNumber(line, start, end, 2);
  if (hLen === 0) return undefined;
  let hour = lastValue;
  let i = start + hLen;
  const sep = line.charCodeAt(i);
  if ((sep !== 58 && sep !== 46) || readNumber(line, ++i, end, 2) !== 2) return undefined;
  const minute = lastValue;
  i += 2;
  if (i < end && (line.charCodeAt(i) !== 58 || readNumber(line, ++i, end, 2) !== 2 || i + 2 !== end)) return undefined;
  if (markerStart >= 0) {
    if (markerEnd - markerStart !== 2 || (line.charCodeAt(markerStart + 1) | 32) !== 109) return undefined;
    const ap = line.charCodeAt(markerStart) | 32;
    if ((ap !== 97 && ap !== 112) || hour < 1 || hour > 12) return undefined;
    if (ap === 97) hour = hour === 12 ? 0 : hour;
    else hour = hour === 12 ? 12 : hour + 12;
  }
  if (hour > 23 || minute > 59) return undefined;
  const { a, aLen, sep: dateSep, b, c, cLen } = date;
  if (aLen === 4) return fill('fixed', a, b, c, false, 'ymd', hour, minute);
  if (aLen > 2 || (cLen !== 4 && cLen !== 2)) return undefined;
  const evidence: DateOrder | null = cLen === 2 ? null : dateSep === 46 || a > 12 ? (b > 12 ? null : 'dmy') : b > 12 ? 'mdy' : null;
  return fill('open', a, b, c, cLen === 2, evidence, hour, minute);
}

// One reading object reused for every row: PendingLogons copies it at once, so the fast path makes none.
const reading: LogonReading = { kind: 'open', parts: [0, 0, 0], shortYear: false, evidence: null, hour: 0, minute: 0 };

function fill(kind: LogonReading['kind'], p: number, q: number, r: number, shortYear: boolean, evidence: DateOrder | null, hour: number, minute: number): LogonReading {
  reading.kind = kind;
  reading.parts[0] = p;
  reading.parts[1] = q;
  reading.parts[2] = r;
  reading.shortYear = shortYear;
  reading.evidence = evidence;
  reading.hour = hour;
  reading.minute = minute;
  return reading;
}
