import type { AuditEvent, HostRunOptions, ProgressEvent } from './types.js';

/** The caller's callbacks as the run calls them: never throwing, never leaving a rejection unhandled. */
export interface GuardedCallbacks {
  warn: (message: string) => void;
  emit: (event: AuditEvent) => void;
  progress: (progress: ProgressEvent) => void;
  /** The same guard for an operation's own callbacks (a rollout's onRolloutEvent, onHostPhase), named in reports. */
  guard: <A>(name: string, callback: ((arg: A) => unknown) | undefined) => (arg: A) => void;
}

/**
 * Wraps `onWarning`, `onEvent` and `onProgress` once per run (the run context holds the result; nothing
 * else calls them), and through `guard` any other callback an operation takes. A callback that throws, or returns a promise that rejects, never stops a host's work and
 * never becomes an unhandled rejection (which ends a Node process): the run goes on as if it had returned.
 * Its first failure is reported once: as a warning through `onWarning`, or through `process.emitWarning`
 * (code SESSION_LOGOFF_CALLBACK) when `onWarning` is absent or is the one failing.
 */
export function guardCallbacks(options: Pick<HostRunOptions, 'onWarning' | 'onEvent' | 'onProgress'>): GuardedCallbacks {
  const failed = new Set<string>();
  const toProcess = (text: string): void => {
    process.emitWarning(`session-logoff: ${text}`, { code: 'SESSION_LOGOFF_CALLBACK' });
  };
  const report = (name: string, error: unknown): void => {
    if (failed.has(name)) return;
    failed.add(name);
    const text = `the ${name} callback failed (${error instanceof Error ? error.message : String(error)}); the run went on without it, and its later failures are not reported`;
    if (name === 'onWarning' || !options.onWarning || failed.has('onWarning')) return toProcess(text);
    // Through the caller's own warnings; should those fail too, the text still reaches the process warning.
    call('onWarning', options.onWarning, text, () => toProcess(text));
  };
  function call<A>(name: string, callback: (arg: A) => unknown, arg: A, onFailure?: () => void): void {
    const fail = (error: unknown): void => {
      report(name, error);
      onFailure?.();
    };
    try {
      const result = callback(arg);
      // An async callback: its rejection is handled here, never left to end the process.
      if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
        Promise.resolve(result).catch(fail);
      }
    } catch (error) {
      fail(error);
    }
  }
  const guard =
    <A>(name: string, callback: ((arg: A) => unknown) | undefined) =>
    (arg: A): void => {
      if (callback) call(name, callback, arg);
    };
  return { warn: guard('onWarning', options.onWarning), emit: guard('onEvent', options.onEvent), progress: guard('onProgress', options.onProgress), guard };
}
