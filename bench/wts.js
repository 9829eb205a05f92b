// The WTS source (issue 10), measured side by side in one run through real pwsh and the test doubles:
// - process starts and PowerShell calls per host for `list`, `logoff` and `drain` with --source wts and
//   --source text (the farm's call log counts the Windows programs that would start: quser, qwinsta, logoff,
//   msg, reg, change; wtsapi32 calls start none). The per-run calls (probe, date order) are spread over the hosts.
// - `list` of 40 hosts answering in 300 ms through WTS vs through text, same farm, concurrency 16: once with the
//   shell start (and, for WTS, Add-Type's compile) included, once more on the warm shell (ratios, context).
// Needs `npm run build`, `npm run setup:pwsh` and `npm run setup:wtsapi32` (Linux). `node bench/wts.js`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drain, listSessions, logoff } from '../dist/core/index.js';
import { createPsHost } from '../dist/run/ps-host.js';
import { createPowerShellTransport } from '../dist/run/ps-transport.js';
import { withWtsSource } from '../dist/run/wts-transport.js';
import { createFarmFixture } from './farm-fixture.js';

const PWSH = process.env.SESSION_LOGOFF_PWSH ?? fileURLToPath(new URL('../.tools/bin/pwsh', import.meta.url));
const WTS_DIR = fileURLToPath(new URL('../.tools/wtsapi32', import.meta.url));
const COUNT_HOSTS = 8;
const HOSTS = 40;
const LATENCY_MS = 300;
const CONCURRENCY = 16;
const ROUNDS = 3;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 2) => Number(x.toFixed(digits));

function farm(hosts, latencyMs) {
  const all = {};
  for (let i = 0; i < hosts; i++) {
    all[`rds${String(i).padStart(2, '0')}`] = {
      latencyMs,
      sessions: [
        { id: 2, name: 'rdp-tcp#1', user: `alice${i}`, state: 'Active', idleMinutes: 0 },
        { id: 3, name: null, user: `bob${i}`, state: 'Disc', idleMinutes: 40 },
      ],
    };
  }
  return { localHost: 'admin01', hosts: all };
}

/** A PowerShell transport whose host counts the calls it is asked to make. */
function countingTransport(env, source) {
  const psHost = createPsHost({ pwshPath: PWSH, env: { ...env, LD_LIBRARY_PATH: WTS_DIR, SESSION_LOGOFF_NODE: process.execPath }, poolSize: CONCURRENCY + 1 });
  const counted = { calls: 0, invoke: (fn, payload, options) => (counted.calls++, psHost.invoke(fn, payload, options)), dispose: () => psHost.dispose() };
  const transport = withWtsSource(createPowerShellTransport({ psHost: counted }), counted, source);
  return { transport, counted };
}

function programStarts(stateFile) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  return state.calls.filter((c) => c.program !== 'wtsapi32').length;
}

async function perHost(source, operation) {
  const fx = await createFarmFixture(farm(COUNT_HOSTS, 0));
  const { transport, counted } = countingTransport(fx.env, source);
  const servers = Object.keys(farm(COUNT_HOSTS, 0).hosts);
  try {
    const base = { transport, servers, concurrency: CONCURRENCY, timeoutMs: 60_000 };
    const report =
      operation === 'list' ? await listSessions(base)
      : operation === 'logoff' ? await logoff({ ...base, states: ['Disconnected'] })
      : await drain({ ...base, blockLogons: 'none', graceMs: 0, pollIntervalMs: 200, verifyTimeoutMs: 30_000 });
    if (report.errors.length > 0) throw new Error(`${source} ${operation}: ${JSON.stringify(report.errors)}`);
    return { calls: counted.calls / COUNT_HOSTS, starts: programStarts(fx.env.SESSION_LOGOFF_FARM) / COUNT_HOSTS };
  } finally {
    await transport.dispose();
    await fx.cleanup();
  }
}

export async function benchCounts() {
  const rows = [];
  for (const operation of ['list', 'logoff', 'drain']) {
    for (const source of ['wts', 'text']) {
      const { calls, starts } = await perHost(source, operation);
      const what = operation === 'logoff' ? 'logoff --state disconnected' : operation === 'drain' ? 'drain --block-logons none --grace 0' : 'list';
      rows.push({ name: `${what}, --source ${source}: program starts per host`, value: round(starts), unit: '', target: 'context' });
      rows.push({ name: `${what}, --source ${source}: PowerShell calls per host`, value: round(calls), unit: '', target: 'context' });
    }
  }
  return rows;
}

async function listTimes(env, source) {
  const { transport } = countingTransport(env, source);
  const servers = Object.keys(farm(HOSTS, LATENCY_MS).hosts);
  try {
    const times = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const report = await listSessions({ transport, servers, concurrency: CONCURRENCY, timeoutMs: 60_000 });
      times.push(performance.now() - started);
      if (report.errors.length > 0 || report.sessions.length !== HOSTS * 2) throw new Error(`${source}: ${report.errors.length} errors, ${report.sessions.length} sessions`);
      if (!report.sessions.every((s) => s.source === source)) throw new Error(`${source}: records from another source`);
    }
    return times;
  } finally {
    await transport.dispose();
  }
}

async function benchList() {
  const fx = await createFarmFixture(farm(HOSTS, LATENCY_MS));
  try {
    const cold = { wts: [], text: [] };
    const warm = { wts: [], text: [] };
    // Alternate so machine noise falls on both alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const source of ['text', 'wts']) {
        const [first, second] = await listTimes(fx.env, source);
        cold[source].push(first);
        warm[source].push(second);
      }
    }
    return [
      { name: `list of ${HOSTS} hosts at ${LATENCY_MS} ms, --source text, new shell (median of ${ROUNDS})`, value: round(median(cold.text) / 1000), unit: 's', target: 'context' },
      { name: 'the same, --source wts, new shell (Add-Type compile included)', value: round(median(cold.wts) / 1000), unit: 's', target: 'context' },
      { name: 'WTS / text, list of 40 hosts, new shell', value: round(median(cold.wts) / median(cold.text)), unit: 'x', target: 'context' },
      { name: 'WTS / text, list of 40 hosts, warm shell', value: round(median(warm.wts) / median(warm.text)), unit: 'x', target: 'context' },
    ];
  } finally {
    await fx.cleanup();
  }
}

export async function benchWts() {
  if (!existsSync(PWSH)) return [{ name: 'WTS source', value: 'skipped', unit: '', target: `pwsh not found at ${PWSH}: npm run setup:pwsh` }];
  if (!existsSync(`${WTS_DIR}/libwtsapi32.so`)) return [{ name: 'WTS source', value: 'skipped', unit: '', target: 'no wtsapi32 double: npm run setup:wtsapi32 (Linux, cc)' }];
  return [...(await benchCounts()), ...(await benchList())];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchWts()) console.log(`${row.name}: ${row.value} ${row.unit} (target ${row.target})`);
}
