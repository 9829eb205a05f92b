/*
 * `node dist/sim/reboot-cli.js [host] [duration]`: restarts a host of a simulated farm kept in a state file,
 * for rehearsing a rollout whose maintenance reboots hosts:
 *
 *   session-logoff rollout --transport simulated --farm farm.json --farm-state state.json ... \
 *     -- node dist/sim/reboot-cli.js {host} 20s
 *
 * The file is $SESSION_LOGOFF_FARM_STATE (the rollout sets it for its command with --farm-state), else
 * $SESSION_LOGOFF_FARM (the PATH test doubles' state). The host defaults to $SESSION_LOGOFF_HOST; the
 * duration (how long it stays down) to 10s, and takes ms, s, m. Exit 0 when restarted, 2 on bad input.
 */
import { rebootHost } from './reboot.js';
import { createFarmStateFile } from './state-file.js';

function parseMs(text: string): number | null {
  const m = /^([0-9]{1,9})(ms|s|m)?$/u.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const file = env['SESSION_LOGOFF_FARM_STATE'] || env['SESSION_LOGOFF_FARM'];
  const host = argv[0] ?? env['SESSION_LOGOFF_HOST'];
  const ms = parseMs(argv[1] ?? '10s');
  if (!file || !host || ms === null || argv.length > 2) {
    process.stderr.write('usage: reboot-cli.js [host] [duration: 500ms, 10s, 2m]; the state file is $SESSION_LOGOFF_FARM_STATE or $SESSION_LOGOFF_FARM\n');
    return 2;
  }
  const store = createFarmStateFile(file, null);
  let found: boolean;
  try {
    found = await store.transact((state) => rebootHost(state, host, ms, Date.now()));
  } catch (error) {
    process.stderr.write(`reboot-cli.js: ${(error as Error).message}\n`);
    return 2;
  }
  if (!found) {
    process.stderr.write(`reboot-cli.js: no host ${JSON.stringify(host)} in the farm state ${file}\n`);
    return 2;
  }
  process.stdout.write(`${host}: restarting, back in ${ms} ms\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2), process.env);
