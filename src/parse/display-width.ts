import { eastAsianWidth } from 'get-east-asian-width';

// conhost pads quser/qwinsta columns by cells, and a CJK character takes two cells (in the DBCS code
// pages 932/936/949/950 it is also two bytes). Fixture 025 shows it: in UTF-16 indices the rows of a
// Chinese table do not line up with the header; in display columns they do. Ambiguous-width characters
// (Cyrillic, Greek …) count as one cell, as fixture 022 (Russian header) requires.
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const COMBINING = /^\p{M}$/u;

/**
 * Cells one code point occupies on a console: 0 for combining marks, 2 for East Asian wide/fullwidth, else 1.
 * @example charWidth('会'.codePointAt(0)!) // 2
 */
export function charWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1;
  if (codePoint <= 0x36f || (codePoint > 0x482 && COMBINING.test(String.fromCodePoint(codePoint)))) return 0;
  return eastAsianWidth(codePoint, { ambiguousAsWide: false });
}

/**
 * Display width of a string in console cells.
 * @example stringWidth('运行中') // 6
 */
export function stringWidth(text: string): number {
  if (ASCII_ONLY.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** True when every character is ASCII, so string indices equal display columns. */
export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}
