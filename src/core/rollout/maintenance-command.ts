import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../errors.js';
import type { Maintain } from './types.js';

export interface MaintenanceCommandOptions {
  /** Program and arguments; `{host}` is replaced in each. Never run through a shell. */
  argv: readonly string[];
  /** Inherited environment; SESSION_LOGOFF_HOST is added. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Every line of both streams, prefixed `[host] `; default process.stderr. Ignored with `logDir`. */
  output?: (line: string) => void;
  /** Write each host's output to `<logDir>/<host>.log` (appended) instead. */
  logDir?: string;
  platform?: NodeJS.Platform;
  /** After SIGTERM to the process group, SIGKILL follows this much later. Default 5 s. */
  killGraceMs?: number;
}

// After the program exits, its streams get this long to drain (a child it left may hold them open).
const DRAIN_MS = 500;

/** A log file name for a host: IPv6 colons are not allowed in Windows file names. */
export function hostLogFile(dir: string, host: string): string {
  return join(dir, `${host.replace(/[:%]/gu, '_')}.log`);
}

/**
 * A `maintain` callback that runs a program once per host: argv as given with `{host}` replaced in each
 * argument, no shell, SESSION_LOGOFF_HOST in its environment, in a process group of its own so that an
 * abort (timeout, Ctrl-C) ends it with everything it started. Exit 0 is success.
 * @example
 * const maintain = createMaintenanceCommand({ argv: ['pwsh', '-File', 'patch.ps1', '-Computer', '{host}'] });
 * await rollout({ transport, servers, maintain });
 */
export function createMaintenanceCommand(options: MaintenanceCommandOptions): Maintain {
  const [file] = options.argv;
  if (file === undefined || file === '') throw new ValidationError('command', '', 'a maintenance command is needed: rollout ... -- <command> [args...]');
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const output = options.output ?? ((line: string) => void process.stderr.write(line));
  return (host, signal) =>
    new Promise<void>((resolve, reject) => {
      const [program, ...args] = options.argv.map((a) => a.replaceAll('{host}', host));
      if (signal.aborted) return reject(new Error('not started: the run was stopped'));
      const log: WriteStream | null = options.logDir === undefined ? null : createWriteStream(hostLogFile(options.logDir, host), { flags: 'a' });
      const emit = (line: string): void => {
        if (log) log.write(`${line}\n`);
        else output(`[${host}] ${line}\n`);
      };
      const child = spawn(program as string, args, {
        env: { ...env, SESSION_LOGOFF_HOST: host },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group on POSIX, so a kill reaches whatever it started (a reboot script's children too).
        detached: platform !== 'win32',
        windowsHide: true,
      });
      let killTimer: NodeJS.Timeout | undefined;
      const kill = (): void => {
        if (child.pid === undefined || child.exitCode !== null) return;
        if (platform === 'win32') {
          // taskkill /T: Windows has no process groups to signal. Loaded only here (it brings execa).
          const pid = child.pid;
          void import('../../run/kill-tree.js').then((m) => m.killTree(pid, platform, env)).catch(() => undefined);
          return;
        }
        const group = (sig: NodeJS.Signals): void => {
          try {
            process.kill(-(child.pid as number), sig);
          } catch {
            // Already gone.
          }
        };
        group('SIGTERM');
        killTimer = setTimeout(() => group('SIGKILL'), options.killGraceMs ?? 5_000);
        killTimer.unref();
      };
      signal.addEventListener('abort', kill, { once: true });
      const lines = (stream: Readable): Promise<void> =>
        new Promise((done) => {
          const rl = createInterface({ input: stream, crlfDelay: Infinity });
          rl.on('line', emit);
          rl.on('close', () => done());
        });
      const streams = Promise.all([lines(child.stdout), lines(child.stderr)]);
      let finished = false;
      const finish = (error: Error | null): void => {
        if (finished) return;
        finished = true;
        signal.removeEventListener('abort', kill);
        clearTimeout(killTimer);
        const settle = (): void => (error ? reject(error) : resolve());
        if (log) log.end(settle);
        else settle();
      };
      child.once('error', (error: NodeJS.ErrnoException) => finish(new Error(`could not start ${JSON.stringify(program)}: ${error.code ?? error.message}`)));
      child.once('exit', (code, sig) => {
        const drained = new Promise<void>((done) => setTimeout(done, DRAIN_MS).unref());
        void Promise.race([streams, drained]).then(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          if (code === 0) return finish(null);
          finish(new Error(sig ? `${program} was ended by ${sig}` : `${program} exited with code ${String(code)}`));
        });
      });
    });
}
