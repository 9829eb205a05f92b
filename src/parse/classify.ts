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

// `No User exists for *` (quser) and `No session exists for *` (qwinsta), in any language: exit 1 with a
// one-line message, no table and no Win32 code. English text is matched too when the exit code is lost.
const EMPTY_EN = /^No (?:User|session) exists for /im;
// `Invalid parameter(s)` followed by the usage text. Unverified translations: the usage block repeats the
// command synopsis (`QUERY USER`, `/SERVER:`), which stays English in localized builds.
const INVALID_EN = /Invalid parameter\(s\)/i;
const USAGE = /\/SERVER:/i;
const TABLE_ROW = /^\s*>?\S.*\s\d+\s{1,3}\S/m;

/**
 * Tells what one quser / query session run produced, from its exit code and both streams.
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
  if (hasTable && (run.exitCode === 0 || run.exitCode === null)) return { kind: 'sessions', win32Code: null, detail };
  if (EMPTY_EN.test(both) || (run.exitCode === 1 && !hasTable && detail !== '' && nonBlankLines(both) <= 2)) {
    return { kind: 'empty', win32Code: null, detail };
  }
  if (hasTable) return { kind: 'sessions', win32Code: null, detail };
  return { kind: 'unknown', win32Code: null, detail };
}

function win32Code(text: string): number | null {
  const bracket = BRACKET_CODE.exec(text);
  if (bracket) return Number(bracket[1]);
  const hex = HEX_CODE.exec(text);
  return hex ? parseInt(hex[1] ?? '', 16) : null;
}

function nonBlankLines(text: string): number {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').length;
}

function firstLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return '';
}
