/**
 * Splits output into lines on CRLF, CR or LF. Splitting on a fixed string is several times faster than
 * on a regex; with mixed endings a line may keep a CR before its LF, which callers' trimEnd() removes.
 */
export function splitLines(text: string): string[] {
  let crs = 0;
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
    // A lone CR (old Mac endings, progress redraws) is a line break of its own.
    if (text.charCodeAt(cr + 1) !== 10) return text.split(/\r\n|\r|\n/);
    crs++;
  }
  if (crs === 0) return text.split('\n');
  // Windows output is all CRLF; splitting on it leaves lines that trimEnd() need not copy.
  let lfs = 0;
  for (let lf = text.indexOf('\n'); lf >= 0 && lfs <= crs; lf = text.indexOf('\n', lf + 1)) lfs++;
  return lfs === crs ? text.split('\r\n') : text.split('\n');
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
