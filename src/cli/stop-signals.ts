/*
 * Ctrl-C (SIGINT), a CI job's cancel (SIGTERM) and a closed terminal (SIGHUP) all stop a run the same way:
 * start nothing new, kill what is in flight, report what was done, exit 128 + the signal's number (as a
 * shell reports a process that signal killed). Only `src/cli.ts` installs the handlers.
 */

/** The signals that stop a run, each with its exit code. */
export const STOP_SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** The abort reason of an interrupted run: which signal stopped it. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly code = 'ERR_INTERRUPTED';
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
  }
}

/** The stop signal an aborted run's signal carries, if any. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | undefined {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return reason instanceof InterruptedError ? reason.signal : undefined;
}

/** 143 for SIGTERM, 129 for SIGHUP, 130 for SIGINT and for an abort without a signal. */
export function interruptedExitCode(signal: AbortSignal | undefined): number {
  return STOP_SIGNALS[stopSignalOf(signal) ?? 'SIGINT'];
}

/** "interrupted by SIGTERM", or plain "interrupted" when no signal is known. */
export function interruptedText(signal: AbortSignal | undefined): string {
  const name = stopSignalOf(signal);
  return name ? `interrupted by ${name}` : 'interrupted';
}

/** The parts of `process` the handlers use (a fake in tests). */
export interface SignalProcess {
  readonly pid: number;
  readonly platform: NodeJS.Platform;
  on(event: StopSignal, listener: () => void): unknown;
  removeAllListeners(event: StopSignal): unknown;
  kill(pid: number, signal: StopSignal): unknown;
  exit(code: number): never;
  stdout: { on(event: 'error', listener: (error: Error) => void): unknown };
  stderr: { write(text: string): unknown; on(event: 'error', listener: (error: Error) => void): unknown };
}

/**
 * First stop signal: aborts `controller` with an InterruptedError naming the signal, and says so on stderr.
 * Any second one: `beforeExit()` (kill what the run started), then end at once by that signal, which a
 * shell or CI runner reports as its code (143, 129, 130).
 */
export function handleStopSignals(proc: SignalProcess, controller: AbortController, beforeExit: () => Promise<void> = async () => undefined): void {
  let stopping = false;
  const leave = (name: StopSignal): never => {
    if (proc.platform !== 'win32') {
      // Not process.exit(): it joins libuv's thread pool, so a file write stuck there (a --report on a
      // dead share) would keep us alive; with our handler gone the signal ends the process at once.
      proc.removeAllListeners(name);
      proc.kill(proc.pid, name);
    }
    return proc.exit(STOP_SIGNALS[name]);
  };
  const onSignal = (name: StopSignal): void => {
    if (stopping) {
      void beforeExit().then(() => leave(name), () => leave(name));
      return;
    }
    stopping = true;
    // A hangup or a cancelled CI job may have closed our output: a failed write must not crash the
    // report, the --report file or the audit log still to come.
    const ignore = (): void => undefined;
    proc.stdout.on('error', ignore);
    proc.stderr.on('error', ignore);
    const again = name === 'SIGINT' ? 'Ctrl-C' : name;
    proc.stderr.write(`\nsession-logoff: interrupted by ${name}: stopping what is in flight (${again} again to quit now)\n`);
    controller.abort(new InterruptedError(name));
  };
  for (const name of Object.keys(STOP_SIGNALS) as StopSignal[]) proc.on(name, () => onSignal(name));
}
