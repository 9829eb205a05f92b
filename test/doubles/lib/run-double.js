// Shared body of the fake Windows programs in ../bin. Plain JS on purpose: the doubles run the COMPILED
// engine (dist/, built by `npm run build` / pretest) so they need no build step of their own.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFarmLock } from '../../../dist/sim/farm-lock.js';
import { runSimulated } from '../../../dist/sim/engine.js';
import { parseFarm } from '../../../dist/sim/farm.js';
import { createFarmState } from '../../../dist/sim/state.js';

/** One state file shared by many processes: the farm's own lock (a live holder is never robbed). */
export const withLock = withFarmLock;

export async function loadState(file) {
  const json = JSON.parse(await readFile(file, 'utf8'));
  // A plain farm description (no startedAt) becomes state on first use.
  return typeof json.startedAt === 'number' && Array.isArray(json.calls) ? json : createFarmState(parseFarm(json), Date.now());
}

export async function saveState(file, state) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, file); // atomic: readers see the old or the new state, never half of it
}

async function readStdin() {
  if (process.stdin.isTTY) return '';
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** msg reads its text from stdin when the command line has none (target is the only positional). */
function msgNeedsStdin(args) {
  return args.filter((a) => !a.startsWith('/')).length <= 1;
}

export async function runDouble(program) {
  const file = process.env.SESSION_LOGOFF_FARM;
  if (!file) {
    process.stderr.write(`${program}: SESSION_LOGOFF_FARM must name a farm state file\r\n`);
    process.exitCode = 2;
    return;
  }
  const args = process.argv.slice(2);
  const stdin = program === 'msg' && msgNeedsStdin(args) ? await readStdin() : undefined;
  const outcome = await withLock(file, async () => {
    const state = await loadState(file);
    const result = runSimulated(state, { program, args, ...(stdin !== undefined ? { stdin } : {}) }, Date.now());
    await saveState(file, state);
    return result;
  });
  if (outcome.hang) {
    // Like quser against a host that drops packets: never answers, ends only when killed.
    setInterval(() => {}, 1 << 30);
    return;
  }
  if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
