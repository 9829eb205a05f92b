import type { HostErrorCode } from '../errors.js';
import { classifyOutput } from '../parse/classify.js';
import type { RunResult } from '../run/runner.js';

export interface Failure {
  code: HostErrorCode;
  message: string;
}

export const FULL_CONTROL_HINT =
  'Full Control on the host (local administrator rights, or Full Control on its RDP listener) is needed';

/** Reading sessions needs less than changing them: Microsoft's "Query Information" listener permission. */
export const QUERY_RIGHTS_HINT =
  'listing sessions needs query rights on the host (the Query Information permission on its RDP listener; administrators have it)';

// Each operation's own permission: an operator told "Full Control" for a listing asks for far too much.
// https://learn.microsoft.com/windows/win32/termserv/terminal-services-permissions
const PERMISSION_HINTS: Readonly<Record<string, string>> = {
  quser: QUERY_RIGHTS_HINT,
  query: QUERY_RIGHTS_HINT,
  'query session': QUERY_RIGHTS_HINT,
  msg: 'sending a message needs the Message permission on the host\'s RDP listener (Full Control includes it; administrators have it)',
  'reading the logon state': 'reading the logon state needs read access to the host\'s registry (Remote Registry; administrators have it)',
};

/**
 * Why a process outcome is a failure, or null when it is not one. `empty` (quser's "No User exists",
 * exit 1) is not a failure. The Win32 code in brackets is the key, so localized errors map too.
 */
export function describeFailure(host: string, result: RunResult, what: string, timeoutMs: number): Failure | null {
  // What ran, as the operator should look for it: the program, or the API function the WTS source called.
  const ran = result.api ?? what;
  if (result.aborted) return { code: 'ERR_ABORTED', message: `${ran} on ${host} was interrupted` };
  if (result.timedOut) {
    // Library callers may pass any number of ms: 300 must not read "within 0 s".
    const limit = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
    return { code: 'ERR_TIMEOUT', message: `${ran} on ${host} gave no answer within ${limit}; ${result.api === undefined ? 'the process was killed' : 'the call was cancelled'}` };
  }
  if (result.spawnError !== null) return { code: 'ERR_SPAWN', message: `could not start ${what} for ${host}: ${result.spawnError}` };
  const verdict = classifyOutput({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr });
  switch (verdict.kind) {
    case 'sessions':
    case 'empty':
      return null;
    case 'access-denied':
      return { code: 'ERR_ACCESS_DENIED', message: `access denied on ${host} (${ran}): ${PERMISSION_HINTS[what] ?? FULL_CONTROL_HINT}` };
    case 'rpc-unavailable':
      return {
        code: 'ERR_HOST_UNREACHABLE',
        message: `${host} is unreachable (${verdict.detail || 'RPC server unavailable'}): check the name, that it is up, that TCP 445 is open and AllowRemoteRPC=1`,
      };
    case 'security-package':
      return { code: 'ERR_SECURITY_PACKAGE', message: `authentication to ${host} failed (${verdict.detail}): check Kerberos/SPN, or use the host's FQDN` };
    default:
      return { code: 'ERR_UNEXPECTED_OUTPUT', message: `${ran} on ${host} failed (exit ${String(result.exitCode)}): ${verdict.detail || 'no output'}` };
  }
}

/**
 * Failure of a command that changes something (logoff, msg, change logon): exit 0 is success and its text
 * is never parsed (its wording is unverified); otherwise the reason, with the permission the operation needs on access denied.
 */
export function describeChangeFailure(host: string, result: RunResult, what: string, timeoutMs: number): Failure | null {
  if (result.exitCode === 0 && !result.timedOut && !result.aborted && result.spawnError === null) return null;
  const failure = describeFailure(host, result, what, timeoutMs);
  if (failure) return failure;
  // classify says "sessions"/"empty" for a non-zero exit: still a failure of this change.
  const detail = (result.stderr || result.stdout).trim().split(/\r?\n/u)[0] ?? '';
  return { code: 'ERR_UNEXPECTED_OUTPUT', message: `${result.api ?? what} on ${host} failed (exit ${String(result.exitCode)})${detail ? `: ${detail}` : ''}` };
}
