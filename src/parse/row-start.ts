import type { LeftSplit } from './columns.js';
import { isKnownState } from './states.js';
import type { RowContext } from './table.js';
import type { Token } from './tokens.js';

// User names may hold spaces and digits (sAMAccountName allows both), so `ops 2 disc` in session 5 puts a
// number followed by a state word before the real ID. Every such number is a candidate ID; each candidate
// whose columns read as a row is one *reading*. One reading: take it. Several: the header decides (the ID
// is right-aligned to the header's `ID`, and nothing right of it is a number but quser's idle and logon
// time); without a header, or when it cannot tell, the row is flagged ambiguous and never acted on.

/** How one candidate ID reads: its two left columns, and what the parser's right-hand check found. */
export interface RowStart {
  idIndex: number;
  idToken: Token;
  id: number;
  first: string | null;
  second: string | null;
  /** The parser's anchor right of the ID (quser: index of LOGON TIME's date token). */
  anchor: number;
  /** Why the row can be read more than one way; null when it cannot. */
  ambiguous: string | null;
}

/**
 * A parser's reading of the words right of a candidate ID. `clean`: no number where its layout has
 * none (a number there is likely the real ID, so this candidate was part of a name).
 */
export type RightReading = { anchor: number; clean: boolean } | { error: string };
export type RightReader = (tokens: readonly Token[], idIndex: number) => RightReading;
type LeftSplitter = (line: string, left: readonly Token[], idEnd: number, headerGap: number | null) => LeftSplit;

const MAX_ID = 0xffffffff;

/**
 * Every token that can be the ID: all digits (1–10), followed by a word that is not a number (the state).
 * Never a row's first word unless it starts at or right of `firstFrom` (qwinsta rows with neither name nor user).
 */
export function idCandidates(tokens: readonly Token[], firstFrom = Infinity): number[] {
  const found: number[] = [];
  for (let i = (tokens[0]?.start ?? 0) >= firstFrom ? 0 : 1; i < tokens.length - 1; i++) {
    if (isDigits(tokens[i]?.text ?? '') && !isDigitStart(tokens[i + 1]?.text ?? '0')) found.push(i);
  }
  return found;
}

/** Among candidates, the one followed by a known state (one or two words), else the first: names the failure. */
function preferred(tokens: readonly Token[], candidates: readonly number[]): number {
  const known = candidates.find((i) => isKnownState(tokens[i + 1]?.text ?? '') || (tokens[i + 2] !== undefined && isKnownState(`${tokens[i + 1]?.text ?? ''} ${tokens[i + 2]?.text ?? ''}`)));
  return known ?? candidates[0] ?? -1;
}

/**
 * Finds the ID and the two text columns before it, or records why not (one issue) and returns null. A row
 * that reads more than one way gets an AMBIGUOUS_ROW issue and `ambiguous` set.
 * @example readRowStart(ctx, 'quser', splitUserSession, readQuserRight)
 */
export function readRowStart(ctx: RowContext, command: 'quser' | 'query session', split: LeftSplitter, right: RightReader, firstFrom?: number): RowStart | null {
  const { tokens, line } = ctx;
  const candidates = idCandidates(tokens, firstFrom);
  if (candidates.length === 0) {
    ctx.issue('UNREADABLE_ROW', `not a ${command} row: no session ID followed by a state`);
    return null;
  }
  const fits: (RowStart & { clean: boolean })[] = [];
  const failures = new Map<number, ['BAD_ID' | 'UNREADABLE_ROW', string]>();
  for (const i of candidates) {
    const idToken = tokens[i] as Token;
    const id = Number(idToken.text);
    if (id > MAX_ID) {
      failures.set(i, ['BAD_ID', `session ID ${idToken.text} is out of range`]);
      continue;
    }
    const left = split(line, tokens.slice(0, i), idToken.end, ctx.header?.gap ?? null);
    if ('error' in left) {
      failures.set(i, ['UNREADABLE_ROW', left.error]);
      continue;
    }
    const rest = right(tokens, i);
    if ('error' in rest) failures.set(i, ['UNREADABLE_ROW', rest.error]);
    else fits.push({ idIndex: i, idToken, id, first: left.first, second: left.second, anchor: rest.anchor, clean: rest.clean, ambiguous: null });
  }
  if (fits.length === 0) {
    const [code, message] = failures.get(preferred(tokens, candidates)) ?? ['UNREADABLE_ROW', `not a ${command} row`];
    ctx.issue(code, message);
    return null;
  }
  if (fits.length === 1) return fits[0] as RowStart;
  // The header's ID column settles it, but only for a reading with no number right of its ID.
  const idEnd = ctx.header?.idEnd;
  const sure = idEnd === undefined ? [] : fits.filter((r) => r.clean && Math.abs(r.idToken.end - idEnd) <= 1);
  if (sure.length === 1) return sure[0] as RowStart;
  const clean = fits.filter((r) => r.clean);
  const pick = (clean.length === 1 ? clean[0] : fits[fits.length - 1]) as RowStart;
  const why = idEnd === undefined ? 'no header line to tell by its columns' : 'the header columns do not tell which';
  const ambiguous = `row can be read with session ID ${fits.map((r) => r.id).join(' or ')} (a user name may hold numbers and state words): ${why}`;
  ctx.issue('AMBIGUOUS_ROW', ambiguous);
  return { ...pick, ambiguous };
}

/** True when `text` is a number with no other character (a word a session ID could be). */
export function isDigits(text: string): boolean {
  if (text.length === 0 || text.length > 10) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isDigitStart(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57;
}
