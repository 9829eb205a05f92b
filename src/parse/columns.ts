import { joinTokens, type Token } from './tokens.js';

/** Left part of a row (before the ID) split into its two text columns, or the reason it could not be. */
export type LeftSplit = { first: string | null; second: string | null } | { error: string };

// Fixed layouts (en, and every localized capture we have): quser starts SESSIONNAME 21 display columns
// left of the column just right of the ID (23 vs 44 in fixture 003), qwinsta starts USERNAME 27 columns
// left of it (19 vs 46 in 031; 27 vs 54 in the wide 034). These were 20 and 26, one short: without a header
// no row with a session name split by columns, and only the word-based fallback read it. Measuring from
// the ID edge makes whole-row shifts (lost leading space, redacted names of another width, long idle words
// are to the right) harmless.
export const QUSER_GAP = 21;
export const QUERY_SESSION_GAP = 27;

const SESSION_LIKE = /^(?:console|services|rdp-tcp(?:#\d+)?|rdp-sxs\S*|ica-(?:cgp|tcp)(?:#\d+)?|[a-z][\w-]*#\d+|\S+\.\.\.)$/i;
const SESSION_PREFIX_GLUED = /^(?:console|services|rdp-tcp#\d+|ica-(?:cgp|tcp)#\d+)[^\d#]/i;
const SESSION_SUFFIX_GLUED = /\S(?:console|rdp-tcp#\d+|rdp-sxs\S*#\d+|ica-(?:cgp|tcp)#\d+)$/i;

function gapsToTry(headerGap: number | null, fallback: number): number[] {
  // A header is a hint, not gospel: hand-edited pastes misalign it (QuserObject's test data).
  return headerGap !== null && headerGap !== fallback && headerGap >= 10 && headerGap <= 40 ? [headerGap, fallback] : [fallback];
}

function straddles(tokens: readonly Token[], boundary: number): boolean {
  return tokens.some((t) => t.start < boundary && t.end > boundary);
}

/**
 * quser: USERNAME (may hold spaces) then SESSIONNAME (one word, blank when disconnected).
 * @example splitUserSession(line, tokensBeforeId, idEnd, null)
 */
export function splitUserSession(line: string, left: readonly Token[], idEnd: number, headerGap: number | null): LeftSplit {
  if (left.length === 0) return { error: 'no USERNAME before the ID' };
  const glued = left.find((t) => SESSION_SUFFIX_GLUED.test(t.text));
  if (glued) return { error: `"${glued.text}" looks like a USERNAME glued to a SESSIONNAME` };
  for (const gap of gapsToTry(headerGap, QUSER_GAP)) {
    const boundary = idEnd - gap;
    if (straddles(left, boundary)) continue;
    const user = left.filter((t) => t.end <= boundary);
    const session = left.filter((t) => t.start >= boundary);
    if (user.length === 0 || (user[0]?.start ?? 0) > 1) continue;
    if (session.length > 1 || (session.length === 1 && session[0]?.start !== boundary)) continue;
    return { first: joinTokens(line, user), second: session[0]?.text ?? null };
  }
  // Geometry disagrees: accept only what the words themselves make certain.
  const last = left[left.length - 1];
  if (left.length >= 2 && last && SESSION_LIKE.test(last.text) && (left[0]?.start ?? 9) <= 1) {
    return { first: joinTokens(line, left.slice(0, -1)), second: last.text };
  }
  return { error: 'cannot tell USERNAME from SESSIONNAME: columns do not line up' };
}

/**
 * query session: SESSIONNAME (one word, may be blank) then USERNAME (may hold spaces, may be blank).
 * @example splitSessionUser(line, tokensBeforeId, idEnd, null)
 */
export function splitSessionUser(line: string, left: readonly Token[], idEnd: number, headerGap: number | null): LeftSplit {
  if (left.length === 0) return { first: null, second: null };
  const head = left[0];
  if (head && head.start <= 1 && SESSION_PREFIX_GLUED.test(head.text)) {
    return { error: `"${head.text}" looks like a SESSIONNAME glued to a USERNAME` };
  }
  for (const gap of gapsToTry(headerGap, QUERY_SESSION_GAP)) {
    const boundary = idEnd - gap;
    if (straddles(left, boundary)) continue;
    const session = left.filter((t) => t.end <= boundary);
    const user = left.filter((t) => t.start >= boundary);
    if (session.length > 1 || (session.length === 1 && (session[0]?.start ?? 0) > 1)) continue;
    if (user.length > 0 && user[0]?.start !== boundary) continue;
    return { first: session[0]?.text ?? null, second: joinTokens(line, user) };
  }
  // A session name always starts in column 1 (0 if the line lost its leading space); anything that
  // starts further right can only be the user.
  if (head && head.start <= 1) {
    if (left.length > 1 && (left[1]?.start ?? 0) - head.end < 2) return { error: 'SESSIONNAME and USERNAME run together' };
    return { first: head.text, second: joinTokens(line, left.slice(1)) };
  }
  return { first: null, second: joinTokens(line, left) };
}
