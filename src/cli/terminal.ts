import type { OutputStream } from './deps.js';

/*
 * Text from a host (user and session names, state words, error texts, parse issues) can hold escape
 * sequences that clear the screen, move the cursor, set the window title or reorder text. Nothing from a
 * host reaches a terminal as a control character: stderr is sanitized as a whole where main() hands it to
 * the commands (createTerminalStream), stdout per format in render.ts (tables and CSV on a terminal by
 * sanitizeCell, JSON by escapeJsonControls, which keeps the exact text).
 */

// C0 (newline aside), DEL, C1, and the bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Replaces every terminal control character but newline with U+FFFD, so it shows where it was.
 * @example sanitizeForTerminal('bob\u001b[2J') // 'bob\uFFFD[2J'
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, '\uFFFD');
}

/**
 * One table cell or CSV field for a terminal: as sanitizeForTerminal, and newlines become U+FFFD too.
 * @example sanitizeCell('a\nb') // 'a\uFFFDb'
 */
export function sanitizeCell(text: string): string {
  return sanitizeForTerminal(text).replace(/\n/gu, '\uFFFD');
}

/**
 * One line of a message (a warning, an error): line breaks inside it, and the space around them, become one
 * space, so text from a host cannot start a line that looks like our own (`session-logoff: …`).
 * @example oneLine('access denied\r\n on rds01') // 'access denied on rds01'
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/gu, ' ').trim();
}

// U+2028/2029 are valid in JSON strings but end a line in many viewers; they are escaped like the rest.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

/**
 * JSON text with the controls JSON.stringify leaves raw (DEL, C1, bidi) written as `\uXXXX`: still the
 * exact text once parsed, and safe on a terminal. Structural JSON is ASCII, so only string contents change.
 * @example escapeJsonControls(JSON.stringify('a\u009bb')) // '"a\\u009bb"'
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The one control sequence the CLI itself writes to stderr: erase the progress line. */
const ERASE_LINE = '\r\u001b[K';

const RAW = Symbol('raw stream');

/** A stream that sanitizes every write; `eraseLine` reaches the raw stream for the progress line only. */
export interface TerminalStream extends OutputStream {
  readonly [RAW]: OutputStream;
}

/**
 * Wraps stderr: everything written through it is sanitized (newlines kept).
 * @example const stderr = createTerminalStream(process.stderr);
 */
export function createTerminalStream(raw: OutputStream): TerminalStream {
  if (isTerminalStream(raw)) return raw;
  return { [RAW]: raw, write: (chunk: string) => raw.write(sanitizeForTerminal(chunk)) };
}

function isTerminalStream(stream: OutputStream): stream is TerminalStream {
  return RAW in stream;
}

/** Erases the current line (the progress line's `\r ESC[K`), bypassing the sanitizer that would blank it. */
export function eraseLine(stream: OutputStream): void {
  (isTerminalStream(stream) ? stream[RAW] : stream).write(ERASE_LINE);
}
