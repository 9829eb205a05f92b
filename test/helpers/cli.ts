import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin, as `npx session-logoff` runs it (end-to-end tests need `npm run build` first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a child process with `input` on stdin and NO_COLOR set, so assertions read plain text.
 * @example const r = await runCli(['list', '--json'], fixture.env); assert.equal(r.code, 0, r.stderr);
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env, input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A CLI child still running, its output so far, and how it ended. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** How the CLI ended (an exit code, or the signal that ended it), once its output is read to the end. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: RunningCli[] = [];

/**
 * Starts the built CLI and returns at once, for tests that act while it runs (signals, kill -9). `env` is laid
 * over this process's environment. Every CLI started is killed by `killStartedClis()` (call it in afterEach).
 * @example const run = startCli(['drain', '--yes'], fx.env); await until('warned', () => /msg/.test(run.stderr()), run);
 */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end();
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const run = { child, stdout: () => stdout, stderr: () => stderr, closed };
  started.push(run);
  return run;
}

/** SIGKILLs every CLI that startCli started and that is still running. */
export function killStartedClis(): void {
  for (const run of started.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
}

/** Polls `check` until it holds; the suite's mocha timeout is the only bound. Fails early if `run` exited first. */
export async function until(what: string, check: () => boolean | Promise<boolean>, run?: RunningCli): Promise<void> {
  while (!(await check())) {
    if (run && run.child.exitCode !== null) throw new Error(`the CLI exited (${run.child.exitCode}) before ${what}: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
