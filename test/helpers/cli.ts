import { spawn } from 'node:child_process';
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
