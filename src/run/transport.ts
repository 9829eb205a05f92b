import type { DateOrder } from '../types.js';
import type { Locality } from './local-host.js';
import type { RunOptions, RunResult } from './runner.js';

export type TransportName = 'exec' | 'powershell' | 'simulated';
export type QueryKind = 'quser' | 'query-session';

/** The `change logon` verbs, named after what they do to new logons. */
export type LogonMode = 'enable' | 'disable' | 'drain' | 'drain-until-restart';

/** Whether a host accepts new logons, read from the registry values in windows-facts.md. */
export type LogonState = 'enabled' | 'disabled' | 'drain' | 'drain-until-restart' | 'unknown';

/**
 * One way of reaching a Windows host. `host` null means the local machine. Every method resolves with
 * the raw process outcome (exit code and text) so the same TypeScript parsers read every transport.
 * Methods throw only ValidationError-free programming errors or HostError('ERR_UNSUPPORTED_OPERATION').
 */
export interface Transport {
  readonly name: TransportName;
  /**
   * How long a call may wait before it starts (a PowerShell shell starting, a free runspace). Such a
   * transport calls RunOptions.onStarted, and the timeout counts from there. Absent: calls start at once.
   */
  readonly startLimitMs?: number;
  query(host: string | null, kind: QueryKind, options?: RunOptions): Promise<RunResult>;
  logoff(host: string | null, sessionId: number, options?: RunOptions): Promise<RunResult>;
  /**
   * Text is delivered as data (msg's stdin, or WTSSendMessageW's buffer), never on a command line. `seconds`: how
   * long the box stays up; `title`: the box's title (WTS only; default `session-logoff`; msg.exe has none).
   */
  message(host: string | null, sessionId: number, text: string, options?: RunOptions & { seconds?: number; title?: string }): Promise<RunResult>;
  setLogons(host: string | null, mode: LogonMode, options?: RunOptions): Promise<RunResult>;
  /**
   * Rejects with HostError('ERR_UNSUPPORTED_OPERATION') when setLogons cannot change `host` (the exec transport:
   * change logon is local only), without touching any host. setLogons makes the same check, and dry runs ask it,
   * so a dry run predicts the real run. Absent: setLogons is tried on every host.
   */
  assertCanSetLogons?(host: string | null): Promise<void>;
  getLogons(host: string | null, options?: RunOptions): Promise<{ state: LogonState; result: RunResult }>;
  /**
   * Where `host` leads, seen from the machine this transport runs its programs on (local-host.ts has the
   * rule). The core protects the caller's own session on `this-machine` and `maybe-this-machine` hosts.
   * Absent: the core applies the rule to this machine's own names and addresses.
   */
  locate?(host: string | null): Promise<Locality>;
  /** Day/month order of the caller's short date, which quser uses for LOGON TIME; null if unknown. */
  dateOrder(options?: RunOptions): Promise<DateOrder | null>;
  dispose(): Promise<void>;
}
