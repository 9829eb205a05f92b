// Parse benchmark: quser text of 100,000 rows vs JSON.parse of the same records, side by side.
// Run `npm run build` first; then `node --expose-gc bench/parse.js`.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseQuser } from '../dist/parse/quser.js';

const ROWS = 100_000;
// Odd, and enough that the median shrugs off a GC or a busy neighbour on a shared 2-core machine.
const ROUNDS = 11;
const RATIO_TARGET = 2;
const MEMORY_TARGET_MB = 200;

const HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
const IDLE = ['.', 'none', '5', '59', '1:02', '23:59', '1+00:53', '12+03:04'];

function row(i) {
  // Mostly plain names, some with a space, one in 40 Latin-1, and one in 200 Chinese (two cells a
  // character) so the general, tokenizing path stays in the measurement too.
  const cjk = i % 200 === 3 && i % 7 !== 0;
  const user = i % 7 === 0 ? `user ${i}` : i % 40 === 1 ? `jörg.müller${i}` : cjk ? `张伟${i}` : `u${i}.example`;
  const disc = i % 3 === 0;
  const session = disc ? '' : `rdp-tcp#${i % 500}`;
  const id = String(i + 2);
  const idle = IDLE[i % IDLE.length];
  const day = (i % 28) + 1;
  const logon = `${day}/${(i % 12) + 1}/2026 ${(i % 12) + 1}:${String(i % 60).padStart(2, '0')} ${i % 2 ? 'PM' : 'AM'}`;
  let line = `${i === 0 ? '>' : ' '}${user.padEnd(cjk ? 20 : 22)}${session}`;
  line = line.padEnd((cjk ? 42 : 44) - id.length) + id + '  ' + (disc ? 'Disc' : 'Active').padEnd(8);
  const shift = cjk ? 2 : 0;
  line = /^[\d.+:]+$/.test(idle) ? line.padEnd(63 - shift - idle.length) + idle + '  ' : line.padEnd(58 - shift) + idle + '   ';
  return line + logon;
}

function buildInput() {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) lines.push(row(i));
  return lines.join('\r\n') + '\r\n';
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  const start = performance.now();
  const result = fn();
  return [performance.now() - start, result];
}

/** Runs the benchmark; returns rows {name, value, unit, target, pass}. */
export async function benchParse() {
  const text = buildInput();
  const json = JSON.stringify(parseQuser(text).sessions);
  const parseTimes = [];
  const jsonTimes = [];
  let sessions = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither side always runs on a warmer heap.
    const steps = round % 2 ? ['json', 'parse'] : ['parse', 'json'];
    for (const step of steps) {
      globalThis.gc?.();
      if (step === 'parse') {
        const [ms, result] = time(() => parseQuser(text));
        sessions = result.sessions.length;
        parseTimes.push(ms);
      } else {
        jsonTimes.push(time(() => JSON.parse(json))[0]);
      }
    }
  }
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const result = parseQuser(text);
  // The parse is synchronous, so its peak is reached at the end, with every record still referenced.
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  peakHeap = Math.max(peakHeap, after.heapUsed);
  const memoryMb = Math.max(peakRss - before.rss, peakHeap - before.heapUsed) / 1024 / 1024;
  const parseMs = median(parseTimes);
  const jsonMs = median(jsonTimes);
  const ratio = parseMs / jsonMs;
  // Every generated row is well formed: an issue would mean the parser got faster by reading wrongly.
  return [
    { name: `parseQuser ${ROWS} rows (median of ${ROUNDS})`, value: round(parseMs), unit: 'ms', target: null, pass: result.sessions.length === ROWS && sessions === ROWS && result.issues.length === 0 },
    { name: `JSON.parse of the same ${ROWS} records`, value: round(jsonMs), unit: 'ms', target: null, pass: true },
    { name: 'parseQuser / JSON.parse', value: round(ratio), unit: 'x', target: `<= ${RATIO_TARGET}`, pass: ratio <= RATIO_TARGET },
    { name: 'parse memory (heap/RSS growth)', value: round(memoryMb), unit: 'MB', target: `< ${MEMORY_TARGET_MB}`, pass: memoryMb < MEMORY_TARGET_MB },
  ];
}

function round(n) {
  return Math.round(n * 100) / 100;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchParse();
  for (const r of rows) {
    console.log(`${r.pass ? 'ok  ' : 'FAIL'} ${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target})` : ''}`);
  }
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}
