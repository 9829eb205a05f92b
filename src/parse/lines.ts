/**
 * Splits output into lines on CRLF, CR or LF. Lines keep no terminator except a CR before LF, which
 * callers' trimEnd() removes; splitting on one character is several times faster than on a regex.
 */
export function splitLines(text: string): string[] {
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
    // A lone CR (old Mac endings, progress redraws) is a line break of its own.
    if (text.charCodeAt(cr + 1) !== 10) return text.split(/\r\n|\r|\n/);
  }
  return text.split('\n');
}

// Pastes are often indented (Markdown code blocks). Column 0 is the `>` marker column: a `>` line starts
// there, any other line one column later, so strip whatever all lines share beyond that.
export function commonIndent(lines: readonly string[]): number {
  let min = Infinity;
  for (const line of lines) {
    const lead = leadingBlanks(line);
    if (lead === line.length) continue;
    min = Math.min(min, line.charCodeAt(lead) === 62 ? lead : lead - 1);
    if (min <= 0) return 0;
  }
  return min === Infinity ? 0 : min;
}

/** `line.length - line.trimStart().length` without allocating a string for the common cases. */
function leadingBlanks(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) continue;
    // Visible ASCII ends the indent; tabs and Unicode spaces take the exact (allocating) route.
    if (c > 32 && c < 127) return i;
    return line.length - line.trimStart().length;
  }
  return line.length;
}
