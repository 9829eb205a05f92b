#!/usr/bin/env node
/*
 * The `session-logoff` bin. Kept tiny so start-up stays cheap: `--version` is answered without loading
 * yargs, and every command loads only what it needs.
 */
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
} else {
  const controller = new AbortController();
  let interrupts = 0;
  // First Ctrl-C: start nothing new, let in-flight work finish or be killed, print the partial report (exit
  // 130). Second Ctrl-C: leave at once.
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nsession-logoff: interrupting: finishing what is in flight (Ctrl-C again to quit now)\n');
    controller.abort();
  });
  const [{ main }, { defaultDeps }] = await Promise.all([import('./cli/main.js'), import('./cli/default-deps.js')]);
  const code = await main(argv, defaultDeps(controller.signal));
  process.exitCode = controller.signal.aborted && code !== 2 ? 130 : code;
}
