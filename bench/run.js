// `npm run bench`: every performance claim of the project, each measured side by side in this one run and
// printed as a ratio against its baseline. Absolute times drift on shared machines; ratios are what we claim.
// Each suite runs in a child process of its own, so one suite's heap never inflates another's peak memory.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const suites = [
  ['parse', './parse.js', 'benchParse'],
  ['orchestration', './orchestration.js', 'benchOrchestration'],
  ['rollout', './rollout.js', 'benchRollout'],
  ['transport', './transport.js', 'benchTransport'],
  ['powershell', './powershell.js', 'benchPowerShell'],
  ['wts', './wts.js', 'benchWts'],
  ['startup', './startup.js', 'benchStartup'],
];

const only = process.argv.slice(2);
let failed = 0;
for (const [name, file, fn] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  const url = new URL(file, import.meta.url);
  if (!existsSync(url)) {
    console.log(`# ${name}: no benchmark yet`);
    continue;
  }
  console.log(`# ${name}`);
  const script = `const m = await import(${JSON.stringify(url.href)}); process.stdout.write(JSON.stringify(await m.${fn}()));`;
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const row of JSON.parse(stdout)) {
    const verdict = row.pass === undefined ? '    ' : row.pass ? 'ok  ' : 'MISS';
    const target = row.target === undefined || row.target === null ? '' : ` (target ${row.target})`;
    console.log(`${verdict} ${row.name}: ${row.value} ${row.unit}${target}`);
    if (row.pass === false) failed++;
  }
}
console.log(failed === 0 ? 'all targets met' : `${failed} target(s) missed`);
process.exitCode = failed === 0 ? 0 : 1;
