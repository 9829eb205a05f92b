import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import type { RunOptions } from './runner.js';
import { killTree } from './kill-tree.js';
import { cleanStderr, decodeEnvelope, encodePayload, psScriptPath, type PsReply } from './ps-scripts.js';

/** The functions ps/SessionLogoff.ps1 dispatches to (Invoke-SlCommand's `fn`). */
export type PsFunction = 'query' | 'logoff' | 'message' | 'setLogons' | 'getLogons' | 'dateOrder' | 'ping' | 'wtsProbe' | 'wtsSessions' | 'wtsLogoff' | 'wtsMessage';

/** One call's outcome: the script's JSON envelope plus what happened around it. Never thrown. */
export interface PsEnvelope extends PsReply {
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/**
 * A persistent PowerShell that runs up to `poolSize` calls side by side inside one pwsh
 * (ps/SessionLogoffServer.ps1: programs started by its loop, everything else in a RunspacePool). The shell
 * starts lazily on the first call.
 */
export interface PsHost {
  invoke(fn: PsFunction, payload: Record<string, unknown>, options?: RunOptions): Promise<PsEnvelope>;
  dispose(): Promise<void>;
}

export const DEFAULT_PS_POOL_SIZE = 16;
export const DEFAULT_PS_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_PS_START_TIMEOUT_MS = 30_000;
// How long a cancelled call may take to confirm it stopped before the whole shell counts as stalled.
const CANCEL_GRACE_MS = 5_000;

export interface PsHostOptions {
  /** pwsh / powershell.exe to run. Default: SESSION_LOGOFF_PWSH, else powershell.exe from System32 on Windows, else `pwsh` on PATH. */
  pwshPath?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Calls in flight at once (runspaces); more wait in a queue here, their timeout not yet running. Default 16, at most 63. */
  poolSize?: number;
  /** Per-call timeout when the call gives none, counted from when the call reaches a ready shell. Default 60 s; 0 = none. */
  timeoutMs?: number;
  /** Limit for starting the shell and loading the script. Default 30 s. */
  startTimeoutMs?: number;
}

interface Pending {
  id: number;
  started: number;
  settle: (fields: Partial<PsEnvelope>) => void;
  /** Set once the caller has its answer (timeout/abort): the reply that follows only frees the slot. */
  abandoned: boolean;
  /** The request line went to the shell; before that, giving up only frees the reserved slot. */
  written: boolean;
  cancelTimer?: NodeJS.Timeout;
}

interface Shell {
  child: ChildProcessWithoutNullStreams;
  pid: number | undefined;
  ready: Promise<void>;
  inFlight: Map<number, Pending>;
  stderrTail: string;
  dead: boolean;
}

const noop = (): void => undefined;

function envelope(fields: Partial<PsEnvelope>, started: number): PsEnvelope {
  return { exitCode: null, stdout: '', stderr: '', spawnError: null, error: null, data: null, timedOut: false, aborted: false, ...fields, durationMs: Date.now() - started };
}

/**
 * The shell's environment: the caller's, plus tiered compilation off unless the caller chose. The shell is a
 * short-lived server doing the same few things; with tiering on, .NET recompiles its hot methods in the
 * background during the first seconds, which measured as ~0.9 s of pwsh 7 CPU per 40 calls against ~0.35 s
 * with it off (precompiled pwsh, 2-core machine; the first calls cost the same either way). Windows
 * PowerShell 5.1 runs on .NET Framework, which has no tiering and ignores the variable.
 */
function shellEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tiering = ['DOTNET_TieredCompilation', 'COMPlus_TieredCompilation'].some((name) => env[name] !== undefined);
  return tiering ? env : { ...env, DOTNET_TieredCompilation: '0' };
}

function defaultPwsh(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (env.SESSION_LOGOFF_PWSH) return env.SESSION_LOGOFF_PWSH;
  if (platform === 'win32') return path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  return 'pwsh';
}

/**
 * A PsHost over one long-lived PowerShell running ps/SessionLogoffServer.ps1. Requests and replies are single
 * lines tagged with a call id (`call <id> <base64 JSON>` → `@@sl-reply <id> <base64 JSON>`), so no user value
 * is ever PowerShell source and no reply can be lost in a chunk boundary. A call's timeout counts from when it
 * is written to a ready shell; a timed-out or aborted call is cancelled in the shell (its program is killed);
 * a shell that does not confirm within 5 s, or dies, is killed with its children and replaced on the next call,
 * and every call it held is reported.
 * @example const ps = createPsHost(); try { await ps.invoke('query', { kind: 'quser', server: 'rds01' }) } finally { await ps.dispose() }
 */
export function createPsHost(options: PsHostOptions = {}): PsHost {
  const platform = options.platform ?? process.platform;
  const env = { ...process.env, ...options.env };
  const poolSize = Math.min(63, Math.max(1, Math.floor(options.poolSize ?? DEFAULT_PS_POOL_SIZE)));
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_PS_START_TIMEOUT_MS;
  let shell: Shell | undefined;
  let nextId = 1;
  let disposed = false;
  const waiting: (() => void)[] = [];

  const kill = async (target: Shell, reason: string): Promise<void> => {
    if (shell === target) shell = undefined;
    if (!target.dead) {
      target.dead = true;
      await killTree(target.pid ?? null, platform, env).catch(noop);
      target.child.kill('SIGKILL');
    }
    failAll(target, reason);
  };

  const failAll = (target: Shell, reason: string): void => {
    for (const pending of target.inFlight.values()) {
      clearTimeout(pending.cancelTimer);
      pending.settle({ error: reason });
    }
    target.inFlight.clear();
    pump();
  };

  const start = (): Shell => {
    const executable = options.pwshPath ?? defaultPwsh(platform, env);
    const args = ['-NoLogo', '-NoProfile', '-NonInteractive', ...(platform === 'win32' ? ['-ExecutionPolicy', 'Bypass'] : []), '-File', psScriptPath('SessionLogoffServer.ps1'), '-PoolSize', String(poolSize)];
    const child = spawn(executable, args, { env: shellEnv(env), windowsHide: true, stdio: 'pipe' });
    const created: Shell = { child, pid: child.pid, ready: Promise.resolve(), inFlight: new Map(), stderrTail: '', dead: false };
    child.stdin.on('error', noop);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      created.stderrTail = (created.stderrTail + chunk).slice(-4000);
    });
    let onReady: (() => void) | undefined;
    let onFail: ((error: Error) => void) | undefined;
    created.ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    created.ready.catch(noop);
    const startTimer = setTimeout(() => onFail?.(new Error(`PowerShell did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    startTimer.unref();
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        handleLine(created, buffered.slice(0, newline).trim(), onReady);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
    child.on('error', (error) => {
      onFail?.(error);
      void kill(created, `could not start PowerShell: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      const detail = cleanStderr(created.stderrTail.replace(/\u001b\[[0-9;?]*[A-Za-z]/gu, ''));
      const reason = `PowerShell exited (${signal ?? `code ${String(code)}`})${detail ? `: ${detail.split('\n').slice(-3).join(' ')}` : ''}`;
      onFail?.(new Error(reason));
      created.dead = true;
      if (shell === created) shell = undefined;
      failAll(created, reason);
    });
    void created.ready.then(() => clearTimeout(startTimer), (error: unknown) => {
      clearTimeout(startTimer);
      void kill(created, error instanceof Error ? error.message : String(error));
    });
    return created;
  };

  const handleLine = (target: Shell, line: string, onReady: (() => void) | undefined): void => {
    if (line.startsWith('@@sl-ready ')) {
      onReady?.();
      return;
    }
    const match = /^@@sl-reply ([0-9]+) ([A-Za-z0-9+/]*={0,2})$/u.exec(line);
    if (match === null) return; // Anything else a program or PowerShell printed: not ours.
    const id = Number(match[1]);
    const pending = target.inFlight.get(id);
    if (pending === undefined) return;
    target.inFlight.delete(id);
    clearTimeout(pending.cancelTimer);
    const reply = decodeEnvelope(match[2] ?? '');
    pending.settle(reply ?? { error: 'unreadable reply from PowerShell' });
    pump();
  };

  const inFlightCount = (): number => shell?.inFlight.size ?? 0;

  // Starts queued calls while the pool has room; called whenever a slot frees up.
  const pump = (): void => {
    while (waiting.length > 0 && inFlightCount() < poolSize) waiting.shift()?.();
  };

  const call = (fn: PsFunction, payload: Record<string, unknown>, runOptions: RunOptions): Promise<PsEnvelope> => {
    const started = Date.now();
    if (runOptions.signal?.aborted) return Promise.resolve(envelope({ aborted: true, error: 'aborted before start' }, started));
    if (disposed) return Promise.resolve(envelope({ error: 'the PowerShell host was disposed' }, started));
    const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? DEFAULT_PS_CALL_TIMEOUT_MS;

    return new Promise<PsEnvelope>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let pending: Pending | undefined;
      let target: Shell | undefined;
      const onAbort = (): void => giveUp({ aborted: true });
      const settle = (fields: Partial<PsEnvelope>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        runOptions.signal?.removeEventListener('abort', onAbort);
        resolve(envelope(fields, started));
      };
      // Answer the caller now; cancel in the shell, and if the shell cannot confirm, it is stalled: replace it.
      function giveUp(fields: Partial<PsEnvelope>): void {
        const queued = waiting.indexOf(begin);
        if (queued !== -1) waiting.splice(queued, 1);
        settle(fields);
        if (pending === undefined || target === undefined || pending.abandoned) return;
        pending.abandoned = true;
        if (!pending.written) {
          target.inFlight.delete(pending.id);
          pump();
          return;
        }
        const stalled = target;
        stalled.child.stdin.write(`cancel ${pending.id}\n`);
        pending.cancelTimer = setTimeout(() => void kill(stalled, 'the PowerShell host stopped answering and was restarted'), CANCEL_GRACE_MS);
      }
      runOptions.signal?.addEventListener('abort', onAbort, { once: true });

      function begin(): void {
        if (settled) return;
        if (disposed) return settle({ error: 'the PowerShell host was disposed' });
        shell ??= start();
        const current = shell;
        target = current;
        const id = nextId++;
        pending = { id, started, abandoned: false, written: false, settle: (fields) => settle(fields) };
        // Reserve the slot while the shell starts, so the pool never holds more than poolSize calls.
        current.inFlight.set(id, pending);
        current.ready.then(
          () => {
            if (settled || current.dead || pending === undefined) return;
            pending.written = true;
            current.child.stdin.write(`call ${id} ${encodePayload({ ...payload, fn })}\n`);
            runOptions.onStarted?.();
            if (timeoutMs > 0 && Number.isFinite(timeoutMs)) timer = setTimeout(() => giveUp({ timedOut: true }), timeoutMs);
          },
          (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            settle(/ENOENT|EACCES|spawn/u.test(message) ? { spawnError: message } : { error: message });
          },
        );
      }

      if (inFlightCount() < poolSize) begin();
      else waiting.push(begin);
    });
  };

  return {
    invoke(fn, payload, runOptions = {}) {
      return call(fn, payload, runOptions);
    },
    // In-flight calls end with an error envelope once the shell is gone.
    async dispose() {
      disposed = true;
      for (const begin of waiting.splice(0)) begin();
      const current = shell;
      if (current === undefined) return;
      current.child.stdin.end();
      // A clean exit stops every call it ran; one that lingers is killed with its children.
      const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (grace = setTimeout(resolve, 3000)))]);
      clearTimeout(grace);
      await kill(current, 'the PowerShell host was disposed');
    },
  };
}
