// The PowerShell transport (issue 8), measured side by side in one run:
// - `list` of 40 hosts answering in 300 ms through --transport powershell vs --transport exec, on the same farm
//   of test doubles, concurrency 16 (ratio; target <= 1.25, goal 1.1). The PowerShell side pays its shell start.
// - stalls of the persistent host over 10,000 sequential calls and 2,000 calls from 16 concurrent callers
//   (a stall = a call that had no answer within 30 s; target 0), and, for context, node-powershell's invoke()
//   over the same kind of calls, which is what the host used before it owned its framing.
// Run after `npm run build`: `node bench/powershell.js`, or through `npm run bench`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PowerShell } from 'node-powershell';
import { listSessions } from '../dist/core/index.js';
import { createTransport } from '../dist/run/create-transport.js';
import { createPsHost } from '../dist/run/ps-host.js';
import { encodePayload, psScriptPath, quotePsLiteral } from '../dist/run/ps-scripts.js';
import { createFarmFixture } from './farm-fixture.js';

const PWSH = process.env.SESSION_LOGOFF_PWSH ?? fileURLToPath(new URL('../.tools/bin/pwsh', import.meta.url));
const HOSTS = 40;
const LATENCY_MS = 300;
const CONCURRENCY = 16;
// Each round lists once through each transport, back to back; the claim is the median of the rounds' ratios,
// so slow drift of a shared machine falls on both sides of each ratio alike.
const ROUNDS = Number(process.env.BENCH_PS_ROUNDS ?? 9);
const SEQUENTIAL_CALLS = Number(process.env.BENCH_PS_SEQUENTIAL ?? 10_000);
const CONCURRENT_CALLS = Number(process.env.BENCH_PS_CONCURRENT ?? 2_000);
const NODE_POWERSHELL_CALLS = Number(process.env.BENCH_NODE_POWERSHELL ?? 2_000);
const STALL_MS = 30_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 2) => Number(x.toFixed(digits));

function farm() {
  const hosts = {};
  for (let i = 0; i < HOSTS; i++) {
    hosts[`rds${String(i).padStart(2, '0')}`] = {
      latencyMs: LATENCY_MS,
      sessions: [
        { id: 2, name: 'rdp-tcp#1', user: `alice${i}`, state: 'Active', idleMinutes: 0 },
        { id: 3, name: null, user: `bob${i}`, state: 'Disc', idleMinutes: 40 },
      ],
    };
  }
  return { localHost: 'admin01', hosts };
}

// Hosts are never looked up in DNS here: the farm's names are made up, and a lookup is the same on both sides.
const locate = async () => 'other';

/** One list on a new transport (the PowerShell side pays its shell start), then one more on the same, warm one. */
async function listOnce(name, env) {
  const transport = await createTransport(name, { env, pwshPath: PWSH, concurrency: CONCURRENCY });
  transport.locate = locate;
  const once = async () => {
    const started = performance.now();
    const report = await listSessions({ transport, servers: Object.keys(farm().hosts), concurrency: CONCURRENCY, timeoutMs: 30_000 });
    const elapsed = performance.now() - started;
    if (report.errors.length > 0 || report.sessions.length !== HOSTS * 2) throw new Error(`${name}: ${report.errors.length} errors, ${report.sessions.length} sessions`);
    return elapsed;
  };
  try {
    return { cold: await once(), warm: await once() };
  } finally {
    await transport.dispose();
  }
}

async function benchList() {
  const fx = await createFarmFixture(farm());
  try {
    const exec = [];
    const ps = [];
    // Alternate so machine noise falls on both alike.
    for (let i = 0; i < ROUNDS; i++) {
      exec.push(await listOnce('exec', fx.env));
      ps.push(await listOnce('powershell', fx.env));
    }
    const ratio = median(ps.map((r, i) => r.cold / exec[i].cold));
    const warm = median(ps.map((r, i) => r.warm / exec[i].warm));
    const spread = ps.map((r, i) => r.cold / exec[i].cold);
    return [
      { name: `list of ${HOSTS} hosts at ${LATENCY_MS} ms, exec transport (median of ${ROUNDS})`, value: round(median(exec.map((r) => r.cold)) / 1000), unit: 's', target: 'context' },
      { name: 'the same through the PowerShell transport, shell start included', value: round(median(ps.map((r) => r.cold)) / 1000), unit: 's', target: 'context' },
      { name: `PowerShell transport / exec transport, list of 40 hosts (median of ${ROUNDS} rounds' ratios; lowest ${round(Math.min(...spread))}, highest ${round(Math.max(...spread))})`, value: round(ratio), unit: 'x', target: '<= 1.25 (goal 1.1)', pass: ratio <= 1.25 },
      { name: 'the same, second list on the same transport (shell and runspaces warm)', value: round(warm), unit: 'x', target: 'context: what a start costs' },
    ];
  } finally {
    await fx.cleanup();
  }
}

// Alternates a ping and a logoff the script refuses (session 0), as in the report of the stall.
const request = (i) => (i % 2 === 0 ? ['ping', {}] : ['logoff', { sessionId: 0, server: '' }]);

async function benchStalls() {
  const host = createPsHost({ pwshPath: PWSH, poolSize: CONCURRENCY });
  let stalls = 0;
  const one = async (i) => {
    const [fn, payload] = request(i);
    const reply = await host.invoke(fn, payload, { timeoutMs: STALL_MS });
    if (reply.timedOut) stalls++;
    else if (fn === 'ping' ? reply.exitCode !== 0 : reply.error === null) throw new Error(`wrong answer to call ${i}: ${JSON.stringify(reply)}`);
  };
  try {
    const started = performance.now();
    for (let i = 0; i < SEQUENTIAL_CALLS; i++) await one(i);
    const sequentialMs = performance.now() - started;
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < CONCURRENT_CALLS) await one(next++);
    }));
    return [
      { name: `persistent PowerShell: ${SEQUENTIAL_CALLS} sequential + ${CONCURRENT_CALLS} calls from ${CONCURRENCY} callers, stalls`, value: stalls, unit: '', target: '0', pass: stalls === 0 },
      { name: 'persistent PowerShell: sequential round trip, mean', value: round(sequentialMs / SEQUENTIAL_CALLS, 1), unit: 'ms', target: 'context' },
    ];
  } finally {
    await host.dispose();
  }
}

// What the host did before: node-powershell's invoke() with its delimiter framing. Context, not a target.
async function benchNodePowerShell() {
  const open = async () => {
    const shell = new PowerShell({ executable: PWSH, executableOptions: { '-NoProfile': true, '-NonInteractive': true }, throwOnInvocationError: false });
    await shell.invoke(`. ${quotePsLiteral(psScriptPath('SessionLogoff.ps1'))}`);
    return shell;
  };
  let shell = await open();
  let stalls = 0;
  for (let i = 0; i < NODE_POWERSHELL_CALLS; i++) {
    const [fn, payload] = request(i);
    let timer;
    const answered = await Promise.race([
      shell.invoke(`Invoke-SlCommand -Payload '${encodePayload({ ...payload, fn })}'`).then(() => true),
      new Promise((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
    ]);
    clearTimeout(timer);
    if (!answered) {
      stalls++;
      await shell.dispose('SIGKILL').catch(() => undefined);
      shell = await open();
    }
  }
  await shell.dispose().catch(() => undefined);
  return [{ name: `node-powershell invoke(), ${NODE_POWERSHELL_CALLS} sequential calls: no answer within 5 s`, value: stalls, unit: '', target: 'context (the framing we replaced)' }];
}

export async function benchPowerShell() {
  if (!existsSync(PWSH)) return [{ name: 'PowerShell transport', value: 'skipped', unit: '', target: `pwsh not found at ${PWSH}: npm run setup:pwsh` }];
  return [...(await benchList()), ...(await benchStalls()), ...(await benchNodePowerShell())];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchPowerShell()) console.log(`${row.name}: ${row.value} ${row.unit} (target ${row.target})`);
}
