import { charWidth, isAscii } from './display-width.js';

/** A run of non-blank characters, located both in the string and in display columns (end exclusive). */
export interface Token {
  text: string;
  /** First display column. */
  start: number;
  /** Display column just after the token. */
  end: number;
  /** String index of the first character. */
  index: number;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Splits a line on blanks, keeping each token's display columns (CJK = 2 cells).
 * @example tokenize(' a  bc')[1] // { text: 'bc', start: 4, end: 6, index: 4 }
 */
export function tokenize(line: string, skipFirst = false): Token[] {
  const tokens: Token[] = [];
  const n = line.length;
  if (isAscii(line)) {
    let i = skipFirst ? 1 : 0;
    while (i < n) {
      while (i < n && isBlank(line.charCodeAt(i))) i++;
      if (i >= n) break;
      const s = i;
      while (i < n && !isBlank(line.charCodeAt(i))) i++;
      tokens.push({ text: line.slice(s, i), start: s, end: i, index: s });
    }
    return tokens;
  }
  let col = skipFirst ? 1 : 0;
  let i = skipFirst ? 1 : 0;
  while (i < n) {
    while (i < n && isBlank(line.charCodeAt(i))) {
      i++;
      col++;
    }
    if (i >= n) break;
    const s = i;
    const startCol = col;
    while (i < n && !isBlank(line.charCodeAt(i))) {
      const cp = line.codePointAt(i) ?? 0;
      col += charWidth(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    tokens.push({ text: line.slice(s, i), start: startCol, end: col, index: s });
  }
  return tokens;
}

/** The original text from the first to the last of `tokens` (inner spacing kept), or null when none. */
export function joinTokens(line: string, tokens: readonly Token[]): string | null {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (!first || !last) return null;
  return line.slice(first.index, last.index + last.text.length);
}
