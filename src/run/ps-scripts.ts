import { fileURLToPath } from 'node:url';

/** The scripts shipped in ps/ (package.json "files" includes ps). */
export type PsScriptName = 'SessionLogoff.ps1';

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
