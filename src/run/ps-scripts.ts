import { fileURLToPath } from 'node:url';

/** The scripts shipped in ps/ (package.json "files" includes ps). */
export type PsScriptName = 'SessionLogoff.ps1' | 'SessionLogoffServer.ps1';

/**
 * Absolute path of a ps/ script. `../../ps` is right both from src/run (tsx) and from dist/run (built).
 * @example psScriptPath('SessionLogoff.ps1') // '/…/session-logoff/ps/SessionLogoff.ps1'
 */
export function psScriptPath(name: PsScriptName): string {
  return fileURLToPath(new URL(`../../ps/${name}`, import.meta.url));
}

// PowerShell treats all of these as single quotes inside a '…' literal (CodeGeneration.EscapeSingleQuotedStringContent).
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/gu;

/**
 * A PowerShell single-quoted literal: every single-quote character (ASCII and the four typographic ones) is
 * doubled, so the content can never close the literal. Nothing expands inside '…' ($, backtick, $( )).
 * Only for unavoidable literals such as the script path; user data travels as a base64 payload.
 * @example quotePsLiteral("it's") // "'it''s'"
 */
export function quotePsLiteral(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

/**
 * Base64 of the UTF-8 JSON of a value. The base64 alphabet (A–Z a–z 0–9 + / =) has no quote, `$` or backtick,
 * so the result can sit in a '…' literal with no escaping and survives any console code page.
 * @example encodePayload({ fn: 'query' }) // 'eyJmbiI6InF1ZXJ5In0='
 */
export function encodePayload(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** What ps/SessionLogoff.ps1 answers for every call (Invoke-SlCommand's envelope). */
export interface PsReply {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The program could not be found / started (inside pwsh), or pwsh itself could not start. */
  spawnError: string | null;
  /** The call failed in PowerShell (validation, remoting, a crashed shell); null when it ran. */
  error: string | null;
  /** Function-specific result (getLogons: the two reg envelopes; dateOrder: the short-date pattern). */
  data: unknown;
}

/**
 * Reads one reply envelope: base64 of UTF-8 JSON, checked field by field (nothing from the shell is trusted
 * blindly). null when it is not an envelope at all.
 * @example decodeEnvelope(encodePayload({ exitCode: 0, stdout: 'x' }))?.exitCode // 0
 */
export function decodeEnvelope(base64: string): PsReply | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(base64)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    const str = (x: unknown): string => (typeof x === 'string' ? x : '');
    const strOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null);
    return { exitCode: typeof v.exitCode === 'number' ? v.exitCode : null, stdout: str(v.stdout), stderr: str(v.stderr), spawnError: strOrNull(v.spawnError), error: strOrNull(v.error), data: v.data ?? null };
  } catch {
    return null;
  }
}

// Windows PowerShell may print errors as CLIXML; keep only readable text.
export function cleanStderr(text: string): string {
  return text.replace(/^#< CLIXML\r?\n?/mu, '').replace(/<[^>]+>/gu, '').trim();
}
