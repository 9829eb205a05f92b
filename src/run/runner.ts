import type { CommandSpec, SessionRecord } from '../types.js';

/** Per-call controls. A timeout kills the process; an aborted signal kills it too. */
export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Called when the command actually starts (a PowerShell call reaches a ready shell). The timeout counts from
   * here, so the caller's backstop deadline restarts too; transports that start at once may never call it.
   */
  onStarted?: () => void;
}

/**
 * The outcome of one process, shaped like a result rather than thrown: quser's "no users" is exit 1,
 * so a non-zero exit is data for `classifyOutput`, not an exception.
 */
export interface RunResult {
  /** Escaped command line, for display and logs only; message text is never in it. */
  command: string;
  /** null when the process never exited on its own (killed, or never started). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when the caller's AbortSignal ended the process. */
  aborted: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES …). */
  spawnError: string | null;
  durationMs: number;
  /**
   * Set when a query was answered as data (the WTS source) rather than as text: these records, already
   * validated, replace parsing stdout. Absent for every program's output.
   */
  sessions?: readonly SessionRecord[];
  /** Something the operator should hear once (e.g. `auto` fell back from WTS to text); the core warns with it. */
  warning?: string;
  /**
   * The Windows API function that was called instead of a program (the WTS source), e.g. `WTSLogoffSession`:
   * failure messages name it, so the operator looks for the right thing. Absent for every program.
   */
  api?: string;
}

/** THE seam between pure invocation builders and real processes. Tests stub it with sinon. */
export interface Runner {
  run(spec: CommandSpec, options?: RunOptions): Promise<RunResult>;
}

/**
 * Runs a program that only works on the machine it runs on (`change logon` has no /server:) on another
 * host, the role PowerShell remoting (Invoke-Command) plays. The exec transport uses one when given.
 */
export interface RemoteShell {
  run(host: string, spec: CommandSpec, options?: RunOptions): Promise<RunResult>;
}
