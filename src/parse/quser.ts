import type { ParseOptions, ParseResult, SessionRecord } from '../types.js';
import { splitUserSession } from './columns.js';
import { isIdleForm, parseIdleTime } from './idle-time.js';
import { isDateToken, readLogonText } from './logon-time.js';
import { readQuserRowFast } from './quser-fast.js';
import { flagTruncated } from './row-issues.js';
import { isDigits, readRowStart, type RightReading } from './row-start.js';
import { canonicalState } from './states.js';
import { parseTable, type RowContext } from './table.js';
import { joinTokens, type Token } from './tokens.js';

/**
 * Reads `quser` / `query user` output (any language, CJK display widths, damaged pastes) into session
 * records. Never throws: rows it cannot read become `issues`.
 * @example
 * parseQuser(' USERNAME  SESSIONNAME  ID  STATE  IDLE TIME  LOGON TIME\n>ann  console  1  Active  .  24.11.2026 09:03')
 */
export function parseQuser(input: string | Uint8Array, options?: ParseOptions): ParseResult {
  return parseTable(input, options, readQuserRow, readQuserRowFast);
}

/** The general row reader: any row parseQuser accepts. Exported so tests can check the fast path against it. */
export function readQuserRow(ctx: RowContext): SessionRecord | null {
  const { tokens, line } = ctx;
  const start = readRowStart(ctx, 'quser', splitUserSession, readQuserRight);
  if (!start) return null;
  const { idIndex, id } = start;
  const rest = tokens.slice(idIndex + 1);
  const dateAt = start.anchor - idIndex - 1;
  const stateText = joinTokens(line, rest.slice(0, dateAt - 1)) ?? '';
  const idleText = rest[dateAt - 1]?.text ?? '';
  const logonTokens = rest.slice(dateAt);
  const record: SessionRecord = {
    host: ctx.host,
    id,
    username: start.first,
    sessionName: start.second,
    state: canonicalState(stateText),
    stateText,
    idleMinutes: parseIdleTime(idleText),
    idleText,
    logonTime: null,
    logonText: joinTokens(line, logonTokens),
    isCurrent: ctx.isCurrent,
    type: null,
    device: null,
  };
  if (start.ambiguous !== null) record.ambiguous = start.ambiguous;
  if (record.state === 'Unknown') ctx.issue('UNKNOWN_STATE', `state "${stateText}" is not a known state word`);
  if (!isIdleForm(idleText)) ctx.issue('BAD_IDLE', `idle time "${idleText}" is not a known form`);
  flagTruncated(ctx, record);
  const reading = readLogonText(logonTokens[0]?.text ?? '', timeText(logonTokens));
  if (reading) ctx.defer(record, reading);
  else ctx.issue('BAD_DATE', `logon time "${record.logonText ?? ''}" is not a date and time`);
  return record;
}

/**
 * Reads the rest from the right: LOGON TIME starts at the first date at least two words after the ID, IDLE
 * TIME is the word before it, and everything between the ID and the idle word is the state (which may hold
 * spaces). Clean when neither the state nor the time holds a number or a second date.
 */
function readQuserRight(tokens: readonly Token[], idIndex: number): RightReading {
  let dateAt = -1;
  for (let i = idIndex + 3; i < tokens.length; i++) {
    if (isDateToken(tokens[i]?.text ?? '')) {
      dateAt = i;
      break;
    }
  }
  if (dateAt < 0) return { error: 'no STATE, IDLE TIME and LOGON TIME after the session ID' };
  let clean = true;
  for (let i = idIndex + 1; i < tokens.length && clean; i++) {
    const text = tokens[i]?.text ?? '';
    if (i === dateAt - 1 || i === dateAt) continue;
    clean = !isDigits(text) && (i < dateAt || !isDateToken(text));
  }
  return { anchor: dateAt, clean };
}

function timeText(tokens: readonly Token[]): string {
  const a = tokens[1]?.text ?? '';
  if (tokens.length <= 2) return a;
  return tokens.length === 3 ? `${a} ${tokens[2]?.text ?? ''}` : tokens.slice(1).map((t) => t.text).join(' ');
}

export { flagTruncated };
