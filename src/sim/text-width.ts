import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Console columns a string takes: CJK characters take two, which is how quser pads (fixture 025).
 * Ambiguous characters (Cyrillic, accented Latin) count as one: conhost prints them narrow outside CJK code pages.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += eastAsianWidth(ch.codePointAt(0) ?? 0, { ambiguousAsWide: false });
  return width;
}

/** Builds one fixed-width line by display column, the way quser's printf padding lands on screen. */
export class LineBuilder {
  private text = '';
  private width = 0;

  get column(): number {
    return this.width;
  }

  /** Writes `value` starting at `col`, or `minGap` spaces after the current end if that is already past. */
  put(value: string, col: number, minGap = 1): this {
    if (value === '') return this;
    const gap = this.width === 0 ? col : Math.max(col - this.width, minGap);
    this.text += ' '.repeat(gap) + value;
    this.width += gap + displayWidth(value);
    return this;
  }

  /** Writes `value` so that it ends at column `endCol` (right-aligned numbers), never touching what precedes it. */
  putRight(value: string, endCol: number): this {
    return this.put(value, endCol - displayWidth(value) + 1);
  }

  /** Real rows end where their last printed column ends (no trailing padding in captured output). */
  toString(): string {
    return this.text.trimEnd();
  }
}
