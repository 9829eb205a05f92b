import { HostError } from '../errors.js';
import type { PsEnvelope, PsFunction, PsHost } from './ps-host.js';
import type { RunOptions, RunResult } from './runner.js';
import { readWtsAnswer } from './wts-records.js';

/** `--source`: `auto` = WTS through the PowerShell transport when the shell can use it, else text. */
export type SourceChoice = 'auto' | 'wts' | 'text';

/** The title of a WTS message box unless the caller gives one (msg.exe has no title at all). */
export const DEFAULT_MESSAGE_TITLE = 'session-logoff';

/** The probe's own limit: it loads the library and compiles the P/Invoke layer, no host involved. */
export const PROBE_TIMEOUT_MS = 60_000;

// Win32 texts in the form the text tools print (`Error [5]:Access is denied.`), so failure.ts classifies a WTS
// error by its bracketed code exactly as it classifies quser's: same HostError codes, same statuses.
const WIN32_TEXT: Readonly<Record<number, string>> = {
  5: 'Access is denied.',
  6: 'The handle is invalid.',
  50: 'The request is not supported.',
  87: 'The parameter is incorrect.',
  1722: 'The RPC server is unavailable.',
  1726: 'The remote procedure call failed.',
  1727: 'The remote procedure call failed and did not execute.',
  1825: 'A security package specific error occurred.',
  7022: 'The specified session cannot be found.',
};

/** One envelope of a WTS call as a RunResult: the call's own outcome, or the shell's (timeout, abort, crash). */
export function wtsRunResult(envelope: PsEnvelope, command: string, api?: string): RunResult {
  const base: RunResult = {
    ...(api === undefined ? {} : { api }),
    command,
    exitCode: envelope.exitCode,
    stdout: '',
    stderr: envelope.error ?? envelope.stderr,
    timedOut: envelope.timedOut,
    aborted: envelope.aborted,
    spawnError: envelope.spawnError,
    durationMs: envelope.durationMs,
  };
  if (envelope.error !== null || envelope.exitCode !== 0 || envelope.timedOut || envelope.aborted || envelope.spawnError !== null) {
    return { ...base, exitCode: envelope.exitCode === 0 ? null : envelope.exitCode };
  }
  const answer = readWtsAnswer(envelope.data);
  switch (answer.kind) {
    case 'ok':
      return { ...base, exitCode: 0, sessions: answer.sessions };
    case 'win32':
      return { ...base, exitCode: 1, stderr: `${answer.fn} failed: Error [${answer.code}]:${WIN32_TEXT[answer.code] ?? `Win32 error ${answer.code}.`}\n` };
    case 'invalid':
      return { ...base, exitCode: 1, stderr: `unreadable answer from the WTS API: ${answer.problem}\n` };
    case 'unavailable':
      // The caller decides (fall back or fail the host) before it gets here; this is only a safe default.
      return { ...base, exitCode: 1, stderr: `the WTS API is not available: ${answer.reason}\n` };
  }
}

export interface WtsCall {
  fn: Exclude<PsFunction, 'query' | 'logoff' | 'message' | 'setLogons' | 'getLogons' | 'dateOrder' | 'ping' | 'wtsProbe'>;
  payload: Record<string, unknown>;
  /** Display only, e.g. `[powershell] WTSEnumerateSessionsExW(rds01)`. */
  command: string;
  /** The API function, named in failure messages (RunResult.api), e.g. `WTSEnumerateSessionsExW`. */
  api: string;
}

/**
 * Decides, per transport, whether calls go through WTS. One probe of the shell first (memoized; asked again
 * when it timed out or was aborted) loads the library and compiles the P/Invoke layer. `wts`: a shell that
 * cannot use the API fails each host with ERR_UNSUPPORTED_OPERATION. `auto`: such a shell reads text, and
 * `takeWarning()` gives the warning once.
 */
export interface WtsSource {
  /** The RunResult of the call through WTS, or null: use the text tools for this call. */
  run(host: string, call: WtsCall, options?: RunOptions): Promise<RunResult | null>;
  /** The fallback warning, the first time it is asked for after `auto` fell back; then undefined. */
  takeWarning(): string | undefined;
  /** Whether queries will go through WTS (`wts`: always; `auto`: once the probe said so). */
  inUse(options?: RunOptions): Promise<boolean>;
}

/**
 * @example const wts = createWtsSource(psHost, 'auto'); const result = await wts.run('rds01', { fn: 'wtsSessions', payload: { server: 'rds01' }, command: '…' })
 */
export function createWtsSource(psHost: PsHost, choice: 'auto' | 'wts'): WtsSource {
  let probe: Promise<{ use: boolean; warning?: string } | null> | undefined;
  let warning: string | undefined;
  let warned = false;

  const fallBack = (reason: string, onWindows: boolean): { use: false } => {
    // A PowerShell on Linux or macOS has no wtsapi32 to miss: `auto` there is text without a word. On Windows a
    // refused Add-Type (Constrained Language Mode, AppLocker/WDAC) or a missing library is worth one warning.
    if (onWindows || !/^wtsapi32 could not be loaded$/u.test(reason)) {
      warning ??= `--source auto: the WTS API cannot be used in this PowerShell (${reason}); reading sessions from quser/qwinsta text instead`;
    }
    return { use: false };
  };

  // The probe compiles ps/WtsApi.cs (Add-Type: seconds on a busy machine) before any host's call, so no host's
  // timeout pays for it. It is local work, bounded by its own limit; an abort still ends it.
  const probed = (options: RunOptions): Promise<{ use: boolean; reason?: string } | null> => {
    probe ??= psHost.invoke('wtsProbe', {}, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: PROBE_TIMEOUT_MS }).then((envelope) => {
      if (envelope.timedOut || envelope.aborted || envelope.error !== null || envelope.exitCode !== 0) {
        probe = undefined;
        return null;
      }
      const data = envelope.data as Record<string, unknown> | null;
      if (data !== null && typeof data === 'object' && data['Available'] === true) return { use: true };
      const reason = data !== null && typeof data === 'object' && typeof data['Reason'] === 'string' ? data['Reason'] : 'no answer from the probe';
      if (choice === 'auto') fallBack(reason, data !== null && typeof data === 'object' && data['Windows'] === true);
      return { use: false, reason };
    });
    return probe;
  };

  const unsupported = (host: string, reason: string): HostError =>
    new HostError('ERR_UNSUPPORTED_OPERATION', host, `--source wts: the WTS API cannot be used for ${host} from this PowerShell (${reason}); use --source text or auto`);

  return {
    async run(host, call, options = {}) {
      const decided = await probed(options);
      // A shell that could not even answer the probe will not run the text tools either: let the call itself
      // (text for auto, WTS for wts) report what is wrong with it.
      if (decided !== null && !decided.use) {
        if (choice === 'wts') throw unsupported(host, decided.reason ?? 'unknown');
        return null;
      }
      if (decided === null && choice === 'auto') return null;
      const envelope = await psHost.invoke(call.fn, call.payload, options);
      const answer = envelope.error === null && !envelope.timedOut && !envelope.aborted ? readWtsAnswer(envelope.data) : null;
      if (answer?.kind === 'unavailable') {
        if (choice === 'wts') throw unsupported(host, answer.reason);
        fallBack(answer.reason, false);
        probe = Promise.resolve({ use: false, reason: answer.reason });
        return null;
      }
      return wtsRunResult(envelope, call.command, call.api);
    },
    async inUse(options = {}) {
      if (choice === 'wts') return true;
      return (await probed(options))?.use === true;
    },
    takeWarning() {
      if (warned || warning === undefined) return undefined;
      warned = true;
      return warning;
    },
  };
}
