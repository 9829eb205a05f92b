import type { RemoteShell, RunOptions, RunResult, Runner } from '../run/runner.js';
import type { CommandSpec } from '../types.js';
import { runSimulated, type SimOutcome } from './engine.js';
import { connectRemote } from './host-access.js';
import type { Farm } from './farm.js';
import { createFarmState, type FarmState } from './state.js';
import type { FarmStore } from './state-file.js';

export interface SimulatedRunner extends Runner {
  /** The live farm state (sessions, messages, logons, recorded calls) for assertions and reports. */
  state(): FarmState;
  /**
   * Runs a program as if inside a remoting session on `host` (what Invoke-Command does for the PowerShell
   * transport), so a rehearsal can block logons on remote hosts. The remote shell has no session of its own.
   */
  remoteShell: RemoteShell;
}

export interface SimulatedRunnerOptions {
  /** Clock for self-logoff times and recorded messages; default Date.now. */
  now?: () => number;
  /**
   * Keep the farm's state in a file shared with other processes (`--farm-state`): each call loads it, runs,
   * saves it. `state()` is then the state as of the last call.
   */
  store?: FarmStore;
}

/** Display form of the invocation; message text travels as stdin and is never part of it. */
function displayCommand(spec: CommandSpec): string {
  const quote = (a: string): string => (a === '' || /[\s"'`$;|&<>()\\*?]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a);
  return [spec.file, ...spec.args].map(quote).join(' ');
}

type WaitEnd = 'done' | 'timeout' | 'abort';

/** Waits like a process that takes `ms` (Infinity = never exits) under a timeout and an AbortSignal. */
function waitFor(ms: number, options: RunOptions): Promise<WaitEnd> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (end: WaitEnd): void => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(end);
    };
    const onAbort = (): void => finish('abort');
    if (options.signal?.aborted) return finish('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout = options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : Infinity;
    if (ms <= 0 && ms < timeout) return finish('done');
    if (Number.isFinite(ms) && ms < timeout) timers.push(setTimeout(() => finish('done'), ms));
    else if (Number.isFinite(timeout)) timers.push(setTimeout(() => finish('timeout'), timeout));
  });
}

/**
 * A Runner that answers from an in-memory farm (`--transport simulated --farm f.json`, fault tests,
 * benchmarks), through the same engine as the test-double programs. Host latency is a real timer;
 * a hanging host ends only by `timeoutMs` or the AbortSignal (then `exitCode` is null).
 * @example
 * const runner = createSimulatedRunner(parseFarm(json));
 * const result = await runner.run({ file: 'quser', args: ['/server:rds1'] }, { timeoutMs: 5000 });
 */
export function createSimulatedRunner(farm: Farm, options: SimulatedRunnerOptions = {}): SimulatedRunner {
  const now = options.now ?? Date.now;
  let state = createFarmState(farm, now());
  /** `remote`: run as if inside a remoting session on that host. */
  async function execute(spec: CommandSpec, runOptions: RunOptions, remote?: string): Promise<RunResult> {
    const started = performance.now();
    const base = { command: displayCommand(spec), spawnError: null };
    if (runOptions.signal?.aborted) {
      return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: true, durationMs: 0 };
    }
    const invocation = { program: spec.file, args: spec.args, ...(spec.input !== undefined ? { stdin: spec.input } : {}) };
    const answer = (farmState: FarmState): SimOutcome => {
      if (remote === undefined) return runSimulated(farmState, invocation, now());
      // Through the remote shell, the connection to the host comes first: it may not resolve, hang or be refused.
      // The view is not a copy: hosts and the call log are shared, only "which machine is local" differs.
      return connectRemote(farmState, remote, now()) ?? runSimulated({ ...farmState, localHost: remote, localNames: [], callerSessionId: null }, invocation, now());
    };
    const outcome = options.store
      ? await options.store.transact((loaded) => {
          state = loaded;
          return answer(loaded);
        })
      : answer(state);
    const end = await waitFor(outcome.hang ? Infinity : outcome.delayMs, runOptions);
    const durationMs = performance.now() - started;
    if (end !== 'done') {
      return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: end === 'timeout', aborted: end === 'abort', durationMs };
    }
    return { ...base, exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr, timedOut: false, aborted: false, durationMs };
  }

  return {
    state: () => state,
    run: (spec, runOptions = {}) => execute(spec, runOptions),
    remoteShell: {
      run: (host, spec, runOptions = {}) => execute(spec, runOptions, host),
    },
  };
}
