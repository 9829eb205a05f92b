import type { SessionRecord, SessionState } from '../types.js';
import { QUSER_GAP } from './columns.js';
import { IDLE_ASK_GENERAL, IDLE_UNKNOWN, isIdleForm, parseIdleTime, readIdleSpan } from './idle-time.js';
import { readNumericDate, readNumericLogon } from './logon-fast.js';
import { readLogonText } from './logon-time.js';
import { RecentWords } from './recent-words.js';
import { flagTruncated } from './row-issues.js';
import { createSpans, digitsValue, isDigitAt, scanNarrowSpans, sliceShared, type Spans } from './spans.js';
import { canonicalState } from './states.js';
import type { RowContext } from './table.js';

// The general reader (quser.ts) allocates a Token per word and several arrays per row; on large outputs
// that garbage dominated. This reader handles the common row — one-cell characters, one-word known state,
// numeric date — with index arithmetic and returns exactly what the general reader would. Whenever a row
// is unusual it returns undefined *before any side effect*, and the general reader reads it from scratch.

// Module-level scratch is safe: a parse runs synchronously to its end, so no two rows interleave.
const spans: Spans = createSpans();
const SESSION_SUFFIX_GLUED = /\S(?:console|rdp-tcp#\d+|rdp-sxs\S*#\d+|ica-(?:cgp|tcp)#\d+)$/i;
// Values repeat down a column; reusing the previous row's string saves an allocation per field.
const states = new RecentWords<SessionState>(4, canonicalState);
let lastIdle = '';

export function readQuserRowFast(ctx: RowContext): SessionRecord | undefined {
  const { line } = ctx;
  if (!scanNarrowSpans(line, ctx.isCurrent ? 1 : 0, spans)) return undefined;
  const { starts, ends, count } = spans;
  const k = findId(line, count);
  // State, idle and a date must follow the ID, the date exactly two words on.
  if (k < 0 || k + 3 >= count || !readNumericDate(line, starts[k + 3]!, ends[k + 3]!)) return undefined;
  const stateText = states.text;
  const state = states.value;
  const id = digitsValue(line, starts[k]!, ends[k]!);
  if (id > 0xffffffff || hasGluedName(line, k)) return undefined;
  const userCount = splitLeft(ctx, k);
  if (userCount < 0) return undefined;
  const idleText = (lastIdle = sliceShared(line, starts[k + 2]!, ends[k + 2]!, lastIdle));
  const idle = readIdleSpan(line, starts[k + 2]!, ends[k + 2]!);
  const record: SessionRecord = {
    host: ctx.host,
    id,
    username: line.slice(starts[0]!, ends[userCount - 1]!),
    sessionName: userCount < k ? line.slice(starts[userCount]!, ends[userCount]!) : null,
    state,
    stateText,
    idleMinutes: idle >= 0 ? idle : idle === IDLE_UNKNOWN ? null : parseIdleTime(idleText),
    idleText,
    logonTime: null,
    logonText: line.slice(starts[k + 3]!, ends[count - 1]!),
    isCurrent: ctx.isCurrent,
    type: null,
    device: null,
  };
  if (idle === IDLE_ASK_GENERAL && !isIdleForm(idleText)) ctx.issue('BAD_IDLE', `idle time "${idleText}" is not a known form`);
  flagTruncated(ctx, record);
  const reading = readLogon(line, k + 3, count);
  if (reading) ctx.defer(record, reading);
  else ctx.issue('BAD_DATE', `logon time "${record.logonText ?? ''}" is not a date and time`);
  return record;
}

/**
 * The ID's index when the row has exactly one candidate ID (a number followed by a word that is not one)
 * and its state is one known word (left in `states`); -1 when the general reader must decide (several
 * candidates: a user name holding numbers; two-word or unknown states; no ID).
 */
function findId(line: string, count: number): number {
  const { starts, ends } = spans;
  let found = -1;
  for (let k = 1; k < count - 1; k++) {
    if (digitsValue(line, starts[k]!, ends[k]!) < 0 || isDigitAt(line, starts[k + 1]!)) continue;
    if (found >= 0) return -1;
    found = k;
  }
  if (found < 0) return -1;
  states.read(line, starts[found + 1]!, ends[found + 1]!);
  return states.value === 'Unknown' ? -1 : found;
}

/** Any word before the ID that ends like a glued session name makes the general reader refuse the row. */
function hasGluedName(line: string, idIndex: number): boolean {
  for (let k = 0; k < idIndex; k++) {
    const end = spans.ends[k]!;
    const last = line.charCodeAt(end - 1);
    // Every alternative of the pattern ends in a digit or in `console`; test only such words.
    if ((last >= 48 && last <= 57) || ((last | 32) === 101 && end - spans.starts[k]! > 7)) {
      if (SESSION_SUFFIX_GLUED.test(line.slice(spans.starts[k], end))) return true;
    }
  }
  return false;
}

/**
 * splitUserSession's geometric rule (header gap first, then the standard gap): how many words before the
 * ID form USERNAME (the rest, at most one, is SESSIONNAME); -1 when only its word-based fallback could tell.
 */
function splitLeft(ctx: RowContext, idIndex: number): number {
  const idEnd = spans.ends[idIndex]!;
  const gap = ctx.header?.gap ?? null;
  if (gap !== null && gap !== QUSER_GAP && gap >= 10 && gap <= 40) {
    const users = splitAt(idEnd - gap, idIndex);
    if (users >= 0) return users;
  }
  return splitAt(idEnd - QUSER_GAP, idIndex);
}

function splitAt(boundary: number, idIndex: number): number {
  const { starts, ends } = spans;
  let users = 0;
  while (users < idIndex && ends[users]! <= boundary) users++;
  // A word across the boundary, no USERNAME, or a USERNAME not at the row start: this gap does not fit.
  if (users === 0 || starts[0]! > 1 || (users < idIndex && starts[users]! < boundary)) return -1;
  const sessions = idIndex - users;
  return sessions > 1 || (sessions === 1 && starts[users] !== boundary) ? -1 : users;
}

function readLogon(line: string, dateIndex: number, count: number): ReturnType<typeof readLogonText> {
  const { starts, ends } = spans;
  const words = count - dateIndex;
  const fast =
    words === 2 ? readNumericLogon(line, starts[dateIndex + 1]!, ends[dateIndex + 1]!, -1, -1)
    : words === 3 ? readNumericLogon(line, starts[dateIndex + 1]!, ends[dateIndex + 1]!, starts[dateIndex + 2]!, ends[dateIndex + 2]!)
    : undefined;
  if (fast) return fast;
  // As the general reader builds it: the words after the date joined by single spaces.
  const time: string[] = [];
  for (let k = dateIndex + 1; k < count; k++) time.push(line.slice(starts[k], ends[k]));
  return readLogonText(line.slice(starts[dateIndex], ends[dateIndex]), time.join(' '));
}
