import path from 'node:path';
import { PowerShell } from 'node-powershell';
import type { RunOptions } from './runner.js';
import { killTree } from './kill-tree.js';
import { cleanStderr, decodeReply, encodePayload, psScriptPath, quotePsLiteral, type PsReply } from './ps-scripts.js';

/** The functions ps/SessionLogoff.ps1 dispatches to (Invoke-SlCommand's `fn`). */
export type PsFunction = 'query' | 'logoff' | 'message' | 'setLogons' | 'getLogons' | 'dateOrder' | 'ping';

/** One call's outcome: the script's JSON envelope plus what happened around it. Never thrown. */
export interface PsEnvelope extends PsReply {
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/**
 * A persistent PowerShell behind a queue: calls run ONE AT A TIME per PsHost (node-powershell serialises the
 * shell's stdin). Create several hosts for parallelism. The shell starts lazily on the first call.
 */
export interface PsHost {
  invoke(fn: PsFunction, payload: Record<string, unknown>, options?: RunOptions): Promise<PsEnvelope>;
  dispose(): Promise<void>;
}

export interface PsHostOptions {
  /** pwsh / powershell.exe to run. Default: SESSION_LOGOFF_PWSH, else powershell.exe from System32 on Windows, else `pwsh` on PATH. */
  pwshPath?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Default per-call timeout (0 = none); a call's own timeoutMs wins. */
  timeoutMs?: number;
  /** Limit for starting the shell and dot-sourcing the script. */
  startTimeoutMs?: number;
}

interface Session {
  shell: PowerShell;
  pid: number | null;
  ready: Promise<void>;
}

const noop = (): void => undefined;

function envelope(fields: Partial<PsEnvelope>, started: number): PsEnvelope {
  return { exitCode: null, stdout: '', stderr: '', spawnError: null, error: null, data: null, timedOut: false, aborted: false, ...fields, durationMs: Date.now() - started };
}

function defaultPwsh(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (env.SESSION_LOGOFF_PWSH) return env.SESSION_LOGOFF_PWSH;
  if (platform === 'win32') return path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  return 'pwsh';
}

/**
 * A PsHost over node-powershell. The script is dot-sourced once; every call is exactly
 * `Invoke-SlCommand -Payload '<base64 JSON>'`, so no user value ever passes node-powershell's converters.
 * A timed-out or aborted call kills the shell (and its children); the next call starts a fresh one.
 * @example const ps = createPsHost(); try { await ps.invoke('query', { kind: 'quser', server: 'rds01' }) } finally { await ps.dispose() }
 */
export function createPsHost(options: PsHostOptions = {}): PsHost {
  const platform = options.platform ?? process.platform;
  const env = { ...process.env, ...options.env };
  let session: Session | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const start = (): Session => {
    const shell = new PowerShell({
      executable: options.pwshPath ?? defaultPwsh(platform, env),
      executableOptions: { '-NoProfile': true, '-NonInteractive': true, ...(platform === 'win32' ? { '-ExecutionPolicy': 'Bypass' } : {}) },
      spawnOptions: { env, windowsHide: true },
      throwOnInvocationError: false,
    });
    // child-shell rejects this internal promise when the shell dies between calls; nobody else listens to it.
    (shell as unknown as { exitPromise?: Promise<void> }).exitPromise?.catch(noop);
    const created: Session = { shell, pid: null, ready: Promise.resolve() };
    created.ready = (async () => {
      const loaded = await shell.invoke(`. ${quotePsLiteral(psScriptPath('SessionLogoff.ps1'))}`);
      if (loaded.hadErrors) throw new Error(`loading SessionLogoff.ps1 failed: ${cleanStderr(loaded.raw)}`);
      const ping = decodeReply((await shell.invoke(`Invoke-SlCommand -Payload '${encodePayload({ fn: 'ping' })}'`)).raw);
      const data = ping?.data as { pid?: unknown } | null | undefined;
      created.pid = typeof data?.pid === 'number' ? data.pid : null;
    })();
    created.ready.catch(noop);
    return created;
  };

  const stop = async (target: Session | undefined, force: boolean): Promise<void> => {
    if (target === undefined) return;
    if (session === target) session = undefined;
    if (force) await killTree(target.pid, platform, env).catch(noop);
    // A shell that ignores SIGTERM must not wedge dispose(): SIGKILL after a short grace.
    let grace: NodeJS.Timeout | undefined;
    const exited = target.shell.dispose(force ? 'SIGKILL' : 'SIGTERM').catch(noop);
    await Promise.race([exited, new Promise<void>((resolve) => (grace = setTimeout(resolve, 3000)))]);
    clearTimeout(grace);
    if (!force) await Promise.race([target.shell.dispose('SIGKILL').catch(noop), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    for (const stream of Object.values(target.shell.streams)) stream.destroy();
  };

  const call = async (fn: PsFunction, payload: Record<string, unknown>, runOptions: RunOptions): Promise<PsEnvelope> => {
    const started = Date.now();
    if (runOptions.signal?.aborted) return envelope({ aborted: true, error: 'aborted before start' }, started);
    if (disposed) return envelope({ error: 'the PowerShell host was disposed' }, started);
    session ??= start();
    const current = session;
    const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? 0;
    let timer: NodeJS.Timeout | undefined;
    let onAbort = noop;
    const command = `Invoke-SlCommand -Payload '${encodePayload({ ...payload, fn })}'`;
    const work = (async () => {
      await Promise.race([current.ready, new Promise((_, reject) => setTimeout(() => reject(new Error('PowerShell did not start in time')), options.startTimeoutMs ?? 30_000).unref())]);
      const result = await current.shell.invoke(command);
      return { kind: 'done' as const, stdout: result.stdout?.toString('utf8') ?? result.raw, stderr: result.stderr?.toString('utf8') ?? '' };
    })();
    const limits = new Promise<{ kind: 'timeout' | 'abort' }>((resolve) => {
      if (timeoutMs > 0) timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
      onAbort = () => resolve({ kind: 'abort' });
      runOptions.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const outcome = await Promise.race([work, limits]);
      if (outcome.kind !== 'done') {
        await stop(current, true);
        return envelope(outcome.kind === 'timeout' ? { timedOut: true } : { aborted: true }, started);
      }
      const reply = decodeReply(outcome.stdout);
      if (reply === null) return envelope({ error: `no reply from PowerShell: ${cleanStderr(outcome.stderr) || 'empty output'}` }, started);
      return envelope(reply, started);
    } catch (error) {
      // The shell died or never started: report it as this call's outcome and start afresh next time.
      await stop(current, true);
      const message = error instanceof Error ? error.message : String(error);
      return envelope(/ENOENT|spawn/u.test(message) ? { spawnError: message } : { error: message }, started);
    } finally {
      clearTimeout(timer);
      runOptions.signal?.removeEventListener('abort', onAbort);
      work.catch(noop);
    }
  };

  return {
    invoke(fn, payload, runOptions = {}) {
      const next = queue.then(() => call(fn, payload, runOptions));
      queue = next.catch(noop);
      return next;
    },
    // Does not wait for queued calls: they end with an error envelope once the shell is gone.
    async dispose() {
      disposed = true;
      await stop(session, false);
    },
  };
}
