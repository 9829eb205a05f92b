import type { ParseIssue, ParseIssueCode, ParseOptions, ParseResult, SessionRecord } from '../types.js';
import { decodeOutput } from './decode.js';
import { isHeader, readHeader, type HeaderHints } from './header.js';
import { commonIndent, splitLines } from './lines.js';
import type { LogonReading } from './logon-time.js';
import { PendingLogons } from './pending-logons.js';
import { flagDuplicateIds } from './row-issues.js';
import { tokenize, type Token } from './tokens.js';

export type { HeaderHints } from './header.js';

/** What a row reader gets: one non-blank, non-header line, its tokens (marker blanked) and shared state. */
export interface RowContext {
  line: string;
  lineNo: number;
  tokens: Token[];
  isCurrent: boolean;
  header: HeaderHints | null;
  host: string | null;
  issue(code: ParseIssueCode, message: string): void;
  /** Registers a logon time whose day/month order is settled once the whole output has been read. */
  defer(record: SessionRecord, reading: LogonReading): void;
}

export type RowReader = (ctx: RowContext) => SessionRecord | null;
/**
 * Optional shortcut tried before tokenizing: given `line`, `lineNo`, `isCurrent` and `header` (not
 * `tokens`), returns the record `readRow` would, or undefined, with no side effect, to defer to `readRow`.
 */
export type FastRowReader = (ctx: RowContext) => SessionRecord | undefined;

const NO_TOKENS: Token[] = [];
// qwinsta /COUNTER appends `label: number` lines (English text unverified); labels carry no digits, so
// no session row (which always has an ID before any colon) can match.
const FOOTER = /^[^\d:]+:\s*\d+$/;

/** Decodes, splits and walks a quser-style table, handing each row to `readRow`. Never throws. */
export function parseTable(input: unknown, options: ParseOptions | undefined, readRow: RowReader, fastRow?: FastRowReader): ParseResult {
  const sessions: SessionRecord[] = [];
  const rowLines: number[] = [];
  const issues: ParseIssue[] = [];
  const pending = new PendingLogons();
  try {
    const text = toText(input, options, issues);
    const lines = splitLines(text);
    const strip = commonIndent(lines);
    let header: HeaderHints | null = null;
    let sawHeader = false;
    let sawContent = false;
    let lineNo = 0;
    const ctx: RowContext = {
      line: '',
      lineNo: 0,
      tokens: [],
      isCurrent: false,
      header: null,
      host: options?.host ?? null,
      issue: (code, message) => issues.push({ line: lineNo, code, message }),
      defer: (rec, reading) => pending.add(rec, reading, lineNo),
    };
    for (let i = 0; i < lines.length; i++) {
      let line = (lines[i] ?? '').trimEnd();
      if (line.length === 0) continue;
      sawContent = true;
      if (strip > 0) line = line.slice(strip);
      const isCurrent = line.charCodeAt(0) === 62; // '>'
      if (fastRow !== undefined) {
        // Only rows with an ID and words after it pass, so headers and footers never take this route.
        ctx.line = line;
        ctx.lineNo = lineNo = i + 1;
        ctx.tokens = NO_TOKENS;
        ctx.isCurrent = isCurrent;
        ctx.header = header;
        let record: SessionRecord | undefined;
        try {
          record = fastRow(ctx);
        } catch (error) {
          issues.push({ line: lineNo, code: 'UNREADABLE_ROW', message: `row could not be read: ${String(error)}` });
          continue;
        }
        if (record) {
          sessions.push(record);
          rowLines.push(lineNo);
          continue;
        }
      }
      const tokens = tokenize(line, isCurrent);
      if (line.includes('ID') && isHeader(tokens)) {
        header = readHeader(tokens);
        sawHeader = true;
        continue;
      }
      if (FOOTER.test(line.trim())) continue;
      lineNo = i + 1;
      try {
        ctx.line = line;
        ctx.lineNo = lineNo;
        ctx.tokens = tokens;
        ctx.isCurrent = isCurrent;
        ctx.header = header;
        const record = readRow(ctx);
        if (record) {
          sessions.push(record);
          rowLines.push(lineNo);
        }
      } catch (error) {
        issues.push({ line: lineNo, code: 'UNREADABLE_ROW', message: `row could not be read: ${String(error)}` });
      }
    }
    if (sawContent && !sawHeader) {
      issues.unshift({ line: 0, code: 'NO_HEADER', message: 'no header line found; columns read by the standard layout' });
    }
    flagDuplicateIds(sessions, rowLines, issues);
    pending.settle(options?.dateOrder, issues);
    issues.sort((a, b) => a.line - b.line);
  } catch (error) {
    issues.push({ line: 0, code: 'UNREADABLE_ROW', message: `input could not be read: ${String(error)}` });
  }
  return { sessions, issues };
}

function toText(input: unknown, options: ParseOptions | undefined, issues: ParseIssue[]): string {
  if (typeof input === 'string') return decodeOutput(input);
  if (!(input instanceof Uint8Array)) {
    issues.push({ line: 0, code: 'DECODE', message: 'input is neither a string nor bytes' });
    return '';
  }
  const text = decodeOutput(input, options?.encoding);
  if (text.includes('\ufffd')) {
    issues.push({ line: 0, code: 'DECODE', message: `bytes are not valid ${options?.encoding ?? 'utf8'}; pass the console code page as encoding` });
  }
  return text;
}
