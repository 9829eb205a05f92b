import type { Token } from './tokens.js';

/** Column hints from a header line, in display columns relative to the right edge of its `ID` word. */
export interface HeaderHints {
  /** Display column just right of the header's `ID` word: rows right-align their ID to it. */
  idEnd: number;
  /** ID right edge minus the start of the second column (quser: SESSIONNAME, qwinsta: USERNAME). */
  gap: number | null;
  /** Starts of the columns after ID, relative to the ID right edge (STATE, TYPE, DEVICE …). */
  afterId: number[];
}

const HEADER_ID = /^ID\.?$/i;
const DIGITS = /^\d+$/;

/** A header names an ID column and, unlike every row, holds no number. */
export function isHeader(tokens: readonly Token[]): boolean {
  return tokens.some((t) => HEADER_ID.test(t.text)) && !tokens.some((t) => DIGITS.test(t.text));
}

/** Column starts of a header line, relative to the right edge of its ID word. */
export function readHeader(tokens: readonly Token[]): HeaderHints {
  const id = tokens.find((t) => HEADER_ID.test(t.text));
  const idEnd = (id?.start ?? 0) + 2;
  const groupStarts: number[] = [];
  let prevEnd = -2;
  for (const t of tokens) {
    if (t.start - prevEnd >= 2) groupStarts.push(t.start);
    prevEnd = t.end;
  }
  const second = groupStarts[1];
  const gap = second !== undefined && second < idEnd ? idEnd - second : null;
  return { idEnd, gap, afterId: groupStarts.filter((s) => s >= idEnd).map((s) => s - idEnd) };
}
