import { eastAsianWidth } from 'get-east-asian-width';

// Text in cells comes from remote hosts (usernames, session names): a hostile name must not be able to
// move the cursor or recolour the terminal, so C0/C1 controls, DEL and bidi overrides become U+FFFD.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces terminal control characters in text shown to a human. */
export function sanitizeCell(text: string): string {
  return text.replace(UNSAFE, '\uFFFD');
}

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
