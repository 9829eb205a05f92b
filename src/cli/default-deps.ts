import { createTransport } from '../run/create-transport.js';
import { promptYesNo } from './confirm.js';
import type { CliDeps } from './deps.js';

/** The real process, terminal and transports; only `src/cli.ts` calls this. */
export function defaultDeps(signal?: AbortSignal): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
    env: process.env,
    platform: process.platform,
    createTransport,
    confirm: (question) => promptYesNo(question, signal),
    ...(signal ? { signal } : {}),
  };
}
