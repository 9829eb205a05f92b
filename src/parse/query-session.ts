import type { ParseOptions, ParseResult, SessionRecord } from '../types.js';
import { splitSessionUser } from './columns.js';
import { flagTruncated } from './row-issues.js';
import { isDigits, readRowStart, type RightReading } from './row-start.js';
import { canonicalState, isKnownState, MAX_STATE_WORDS } from './states.js';
import { parseTable, type RowContext } from './table.js';
import { joinTokens, type Token } from './tokens.js';

// English layout: STATE 2, TYPE 10 and DEVICE 22 columns right of the ID's right edge.
const TYPE_OFFSET = 10;
const DEVICE_OFFSET = 22;

/**
 * Reads `query session` / `qwinsta` output (narrow and wide layouts, any language, `/COUNTER` footers)
 * into session records. Never throws: rows it cannot read become `issues`.
 * @example parseQuerySession(' SESSIONNAME  USERNAME  ID  STATE\n>console  ann  1  Active')
 */
export function parseQuerySession(input: string | Uint8Array, options?: ParseOptions): ParseResult {
  return parseTable(input, options, readQuerySessionRow);
}

function readQuerySessionRow(ctx: RowContext): SessionRecord | null {
  const { tokens, line } = ctx;
  const start = readRowStart(ctx, 'query session', splitSessionUser, readQuerySessionRight, 20);
  if (!start) return null;
  const { idIndex, idToken, id } = start;
  const rest = tokens.slice(idIndex + 1);
  const stateCount = countStateTokens(line, rest, idToken.end, ctx.header?.afterId[1] ?? TYPE_OFFSET);
  const stateText = joinTokens(line, rest.slice(0, stateCount)) ?? '';
  const [type, device] = typeAndDevice(line, rest.slice(stateCount), idToken.end + (ctx.header?.afterId[2] ?? DEVICE_OFFSET));
  const record: SessionRecord = {
    host: ctx.host,
    id,
    username: start.second,
    sessionName: start.first,
    state: canonicalState(stateText),
    stateText,
    idleMinutes: null,
    idleText: null,
    logonTime: null,
    logonText: null,
    isCurrent: ctx.isCurrent,
    type,
    device,
  };
  if (start.ambiguous !== null) record.ambiguous = start.ambiguous;
  if (record.state === 'Unknown') ctx.issue('UNKNOWN_STATE', `state "${stateText}" is not a known state word`);
  flagTruncated(ctx, record);
  return record;
}

// STATE, TYPE and DEVICE are words (`Active`, `rdpwd`, `wdcon`), never a number: a number right of a
// candidate ID is likely the real ID, the candidate then being part of a user name.
function readQuerySessionRight(tokens: readonly Token[], idIndex: number): RightReading {
  let clean = true;
  for (let i = idIndex + 1; i < tokens.length && clean; i++) clean = !isDigits(tokens[i]?.text ?? '');
  return { anchor: idIndex + 1, clean };
}

// A known state may be wider than its column (Italian `Rimani in ascolto`); an unknown one is taken as
// every word that starts before the TYPE column.
function countStateTokens(line: string, rest: readonly Token[], idEnd: number, typeOffset: number): number {
  for (let k = Math.min(MAX_STATE_WORDS, rest.length); k > 0; k--) {
    if (isKnownState(joinTokens(line, rest.slice(0, k)) ?? '')) return k;
  }
  let k = 1;
  while (k < rest.length && (rest[k]?.start ?? 0) < idEnd + typeOffset) k++;
  return k;
}

function typeAndDevice(line: string, rest: readonly Token[], deviceCol: number): [string | null, string | null] {
  const first = rest[0];
  if (!first) return [null, null];
  if (rest.length === 1) return first.start >= deviceCol ? [null, first.text] : [first.text, null];
  return [first.text, joinTokens(line, rest.slice(1))];
}
