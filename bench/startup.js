// Start-up cost of the CLI: median wall time of `node dist/cli.js --version` vs a bare `node -e 0`,
// measured alternately side by side so machine noise hits both equally. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TARGET_RATIO = 1.5;

function timeOnce(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rows `{name, value, unit, target, pass}` for the bench report. */
export async function benchStartup({ runs = 21 } = {}) {
  const bare = [];
  const cli = [];
  // Warm the file cache once each, then alternate.
  timeOnce(['-e', '0']);
  timeOnce([CLI, '--version']);
  for (let i = 0; i < runs; i++) {
    bare.push(timeOnce(['-e', '0']));
    cli.push(timeOnce([CLI, '--version']));
  }
  const bareMs = median(bare);
  const cliMs = median(cli);
  const ratio = cliMs / bareMs;
  return [
    { name: 'startup: node -e 0 (median)', value: Number(bareMs.toFixed(1)), unit: 'ms', target: null, pass: true },
    { name: 'startup: session-logoff --version (median)', value: Number(cliMs.toFixed(1)), unit: 'ms', target: null, pass: true },
    { name: 'startup: --version / node -e 0', value: Number(ratio.toFixed(2)), unit: 'x', target: `<= ${TARGET_RATIO}`, pass: ratio <= TARGET_RATIO },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchStartup();
  for (const row of rows) {
    console.log(`${row.pass ? 'ok  ' : 'FAIL'} ${row.name}: ${row.value} ${row.unit}${row.target ? ` (target ${row.target})` : ''}`);
  }
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}
