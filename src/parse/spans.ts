/**
 * Word positions of one line, kept as numbers in a reused buffer instead of `Token` objects: on a
 * 100,000-row output the per-word objects were most of the parse's garbage. Only lines whose characters
 * are all below U+0300 (ASCII, Latin-1, Latin Extended: en, de, fr, es … names and state words) qualify:
 * each such character is one UTF-16 unit and one console cell (see charWidth), so a string index is
 * also the display column and `start`/`end` serve both purposes.
 */
export interface Spans {
  /** starts[k] / ends[k]: string indices of word k (end exclusive). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  count: number;
}

/** Rows with more words than this go to the general path (quser rows have about ten). */
const MAX_WORDS = 48;
const NARROW_LIMIT = 0x300;

export function createSpans(): Spans {
  return { starts: new Int32Array(MAX_WORDS), ends: new Int32Array(MAX_WORDS), count: 0 };
}

/**
 * Fills `spans` with the blank-separated words of `line` from index `from`, splitting exactly where
 * `tokenize` does (space and tab only). False when the line holds a character from U+0300 on (combining
 * marks, Cyrillic, CJK …) or too many words, so the caller must use the general path.
 */
export function scanNarrowSpans(line: string, from: number, spans: Spans): boolean {
  const { starts, ends } = spans;
  const n = line.length;
  let count = 0;
  let i = from;
  while (i < n) {
    let c = line.charCodeAt(i);
    while (c === 32 || c === 9) {
      if (++i >= n) break;
      c = line.charCodeAt(i);
    }
    if (i >= n) break;
    if (count === MAX_WORDS) return false;
    starts[count] = i;
    while (c !== 32 && c !== 9) {
      if (c >= NARROW_LIMIT) return false;
      if (++i >= n) break;
      c = line.charCodeAt(i);
    }
    ends[count++] = i;
  }
  spans.count = count;
  return true;
}

/** Value of an all-digit run of 1–10 characters, or -1 (the same IDs `findIdIndex` accepts). */
export function digitsValue(line: string, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 10) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

export function isDigitAt(line: string, index: number): boolean {
  const c = line.charCodeAt(index);
  return c >= 48 && c <= 57;
}

/**
 * `line.slice(start, end)`, but returns `previous` when it already holds those characters: state words,
 * idle values and session names repeat down a column, and sharing one string per value saves memory.
 */
export function sliceShared(line: string, start: number, end: number, previous: string): string {
  if (previous.length === end - start && line.startsWith(previous, start)) return previous;
  return line.slice(start, end);
}
