// Rollout overhead (issue 11): 200 simulated hosts in waves of 20, a short grace (every host has a user who
// stays until logged off, so each host waits out the whole grace), a maintenance of fixed length, the state file
// written before and after each change. Ratio = actual time / ideal time, where ideal = the survey's rounds of
// calls + per wave the longest host's chain of sequential calls × latency + grace + maintenance. The call chain is
// counted per host and checked against the model, so the ideal is not a guess.
// Run after `npm run build`: `node bench/rollout.js`, or through `npm run bench` (suite "rollout").
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rollout } from '../dist/core/index.js';

const HOSTS = 200;
const WAVE = 20;
const CONCURRENCY = 64;
const LATENCY_MS = 20;
const GRACE_MS = 500;
const MAINTENANCE_MS = 100;
// block, list, warn, poll at the deadline (the logoff follows that listing: core/grace.ts), logoff, verify, back?,
// enable, read back.
const CALLS_PER_HOST = 9;
const MAX_RATIO = 1.1;

const HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
const row = (user) => ` ${user.padEnd(22)}${'rdp-tcp#1'.padEnd(17)}${'2'.padStart(4)}  ${'Active'.padEnd(6)}${'5'.padStart(11)}  11/25/2026 8:00 AM`;

/** Every host has one Active user until logged off; every call takes LATENCY_MS. Counts each host's calls. */
function transport() {
  const users = new Map();
  const calls = new Map();
  const result = (exitCode, stdout, stderr) => ({ command: 'bench', exitCode, stdout, stderr, timedOut: false, aborted: false, spawnError: null, durationMs: LATENCY_MS });
  const later = (host, value) => {
    calls.set(host, (calls.get(host) ?? 0) + 1);
    return new Promise((resolve) => setTimeout(() => resolve(value()), LATENCY_MS));
  };
  const userOf = (host) => (users.has(host) ? users.get(host) : `user${host.slice(3)}`);
  return {
    calls,
    name: 'simulated',
    query: (host) => later(host, () => (userOf(host) === null ? result(1, '', 'No User exists for *\r\n') : result(0, `${HEADER}\r\n${row(userOf(host))}\r\n`, ''))),
    logoff: (host) => later(host, () => (users.set(host, null), result(0, '', ''))),
    message: (host) => later(host, () => result(0, '', '')),
    setLogons: (host) => later(host, () => result(0, '', '')),
    getLogons: (host) => later(host, () => ({ state: 'enabled', result: result(0, '', '') })),
    dateOrder: () => new Promise((resolve) => setTimeout(() => resolve('mdy'), LATENCY_MS)),
    // The hosts are fictitious: resolving their names (is this one the local machine?) would time DNS, not us.
    locate: async () => 'other',
    dispose: async () => {},
  };
}

async function once(hosts, stateFile) {
  const t = transport();
  const servers = Array.from({ length: hosts }, (_, i) => `rds${String(i).padStart(4, '0')}`);
  const started = performance.now();
  const report = await rollout({
    transport: t,
    servers,
    maxUnavailable: WAVE,
    canary: 0,
    concurrency: CONCURRENCY,
    graceMs: GRACE_MS,
    pollIntervalMs: GRACE_MS,
    stateFile,
    onWarning: () => undefined,
    maintain: () => new Promise((resolve) => setTimeout(resolve, MAINTENANCE_MS)),
  });
  const elapsed = performance.now() - started;
  const notDone = report.hosts.filter((h) => h.status !== 'done');
  if (notDone.length > 0) throw new Error(`rollout: ${notDone.length} hosts not done, e.g. ${notDone[0].host}: ${notDone[0].reason}`);
  // Survey: quser and the logon state side by side (one latency), then the cycle's sequential calls.
  const chains = [...t.calls.values()].map((n) => n - 2);
  if (chains.some((n) => n !== CALLS_PER_HOST)) throw new Error(`a host made ${chains.find((n) => n !== CALLS_PER_HOST)} calls in its cycle, the model says ${CALLS_PER_HOST}`);
  const waves = Math.ceil(hosts / WAVE);
  const ideal = Math.ceil(hosts / CONCURRENCY) * LATENCY_MS + waves * (CALLS_PER_HOST * LATENCY_MS + GRACE_MS + MAINTENANCE_MS);
  return { elapsed, ideal, waves: report.waves.length };
}

/** @returns {Promise<{name: string, value: number, unit: string, target: string, pass?: boolean}[]>} */
export async function benchRollout() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-rollout-'));
  try {
    // Warm-up: JIT and module loading are not orchestration overhead.
    await once(40, join(dir, 'warm.json'));
    const { elapsed, ideal, waves } = await once(HOSTS, join(dir, 'state.json'));
    const ratio = elapsed / ideal;
    return [
      {
        name: `rollout, ${HOSTS} hosts in ${waves} waves of ${WAVE}, grace ${GRACE_MS} ms, state file: actual / ideal time (${Math.round(elapsed)} ms / ${ideal} ms)`,
        value: Number(ratio.toFixed(3)),
        unit: 'x',
        target: `<= ${MAX_RATIO}`,
        pass: ratio <= MAX_RATIO,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchRollout()) console.log(`${row.pass ? 'ok  ' : 'MISS'} ${row.name}: ${row.value} ${row.unit} (target ${row.target})`);
}
