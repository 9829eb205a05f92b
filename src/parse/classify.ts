import type { OutputClassification, OutputKind } from '../types.js';

// Error lines are localized, but the bracketed Win32 code and the hex code survive translation
// (fixture 058: `Ошибка 0x00000005 перечисления сеансов` / `Ошибка [5]:Отказано в доступе.`).
const BRACKET_CODE = /\[(\d{1,10})\]/;
const HEX_CODE = /\b0x([0-9a-f]{8})\b/i;

const KIND_BY_CODE = new Map<number, OutputKind>([
  [5, 'access-denied'],
  [1722, 'rpc-unavailable'], // RPC_S_SERVER_UNAVAILABLE
  // Unverified for quser, but the same "host not reachable over RPC" family in Win32:
  [1726, 'rpc-unavailable'], // RPC_S_CALL_FAILED
  [1727, 'rpc-unavailable'], // RPC_S_CALL_FAILED_DNE
  [1825, 'security-package'], // SEC_E / ERROR_..._SECURITY_PACKAGE (Kerberos, SPN)
]);

// "Nobody there" needs positive evidence: one of these known texts starting a line (quser `No User exists for *`,
// qwinsta `No session exists for *`; windows-facts.md, fixture 057), whatever the exit code. A short exit-1
// text we do not know is an error of the host, never proof that it is empty: reading it as empty made a drain
// `verified` and a failed logoff `already-gone`. Only texts seen in real output belong here; an unknown
// translation stays an error (the operator sees its text), never a guess.
const NO_ONE_THERE: readonly RegExp[] = [
  /^\s*No (?:User|session) exists for /im, // en (windows-facts.md, stderr/057)
  /^\s*Kein Benutzer vorhanden für /im, // de (quser, as quoted by a peer tool's "no users" check)
];
// `Invalid parameter(s)` followed by the usage text. Unverified translations: the usage block repeats the
// command synopsis (`QUERY USER`, `/SERVER:`), which stays English in localized builds.
const INVALID_EN = /Invalid parameter\(s\)/i;
const USAGE = /\/SERVER:/i;
const TABLE_ROW = /^\s*>?\S.*\s\d+\s{1,3}\S/m;

/**
 * Tells what one quser / query session run produced, from its exit code and both streams. `empty` only on
 * positive evidence (a known "No User exists for" text); any other output without a table is `unknown`.
 * @example classifyOutput({ exitCode: 1, stdout: '', stderr: 'No User exists for *\r\n' }).kind // 'empty'
 */
export function classifyOutput(run: { exitCode: number | null; stdout: string; stderr: string }): OutputClassification {
  const stdout = run.stdout ?? '';
  const stderr = run.stderr ?? '';
  const both = `${stderr}\n${stdout}`;
  const detail = firstLine(stderr) || firstLine(stdout);
  const hasTable = TABLE_ROW.test(stdout) && /\bID\b/.test(stdout);
  // A table's own cells (user names) must not be mistaken for error codes.
  const code = win32Code(hasTable ? stderr : both);
  if (code !== null) return { kind: KIND_BY_CODE.get(code) ?? 'unknown', win32Code: code, detail };
  if (INVALID_EN.test(both) || (run.exitCode !== 0 && USAGE.test(both))) {
    return { kind: 'invalid-parameter', win32Code: null, detail };
  }
  // A table is evidence of who is there, whatever the exit code, and outweighs a "nobody" line beside it.
  if (hasTable) return { kind: 'sessions', win32Code: null, detail };
  if (NO_ONE_THERE.some((text) => text.test(both))) return { kind: 'empty', win32Code: null, detail };
  return { kind: 'unknown', win32Code: null, detail };
}

function win32Code(text: string): number | null {
  const bracket = BRACKET_CODE.exec(text);
  if (bracket) return Number(bracket[1]);
  const hex = HEX_CODE.exec(text);
  return hex ? parseInt(hex[1] ?? '', 16) : null;
}

function firstLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return '';
}
