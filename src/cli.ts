#!/usr/bin/env node
/*
 * The `session-logoff` bin. Kept tiny so start-up stays cheap: `--version` is answered without loading
 * yargs, and every command loads only what it needs.
 */
import { readFileSync } from 'node:fs';
import { handleStopSignals, interruptedExitCode } from './cli/stop-signals.js';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
} else {
  const controller = new AbortController();
  // Whatever a transport left running (pwsh and what it started included) dies with the run: on Linux
  // every descendant of this process is killed. Windows and macOS rely on the transports' own kills.
  let killTree: Promise<typeof import('./run/kill-tree.js')> | undefined;
  const loadKillTree = (): Promise<typeof import('./run/kill-tree.js')> => (killTree ??= import('./run/kill-tree.js'));
  const killChildren = async (): Promise<void> => {
    if (process.platform === 'linux') await (await loadKillTree()).killTree(process.pid, process.platform, process.env);
  };
  // Loaded at the first signal, so a second one can kill the children and leave at once.
  controller.signal.addEventListener('abort', () => void loadKillTree().catch(() => undefined), { once: true });
  // First Ctrl-C, SIGTERM (a cancelled CI job) or SIGHUP: start nothing new, kill what is in flight, print
  // the partial report (exit 130, 143, 129). A second one: kill the children and leave at once.
  handleStopSignals(process, controller, killChildren);
  const [{ main }, { defaultDeps }] = await Promise.all([import('./cli/main.js'), import('./cli/default-deps.js')]);
  const code = await main(argv, defaultDeps(controller.signal));
  if (controller.signal.aborted) await killChildren();
  process.exitCode = controller.signal.aborted && code !== 2 ? interruptedExitCode(controller.signal) : code;
}
