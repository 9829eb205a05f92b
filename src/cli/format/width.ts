import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Columns the text takes in a terminal: CJK and other wide characters count 2, combining marks 0.
 * Ambiguous-width characters count 1, as Windows consoles and most terminals draw them.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Me}|\u200b|\u200d/u.test(char)) continue;
    width += eastAsianWidth(code, { ambiguousAsWide: false });
  }
  return width;
}

/** Pads on the right (or left, for numbers) to `width` display columns. */
export function padCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}
