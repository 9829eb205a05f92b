// `npm run bench`: every performance claim of the project, each measured side by side in this one run and
// printed as a ratio against its baseline. Absolute times drift on shared machines; ratios are what we claim.
import { existsSync } from 'node:fs';

const suites = [
  ['parse', './parse.js', 'benchParse'],
  ['orchestration', './orchestration.js', 'benchOrchestration'],
  ['transport', './transport.js', 'benchTransport'],
  ['startup', './startup.js', 'benchStartup'],
];

const only = process.argv.slice(2);
let failed = 0;
for (const [name, file, fn] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(new URL(file, import.meta.url))) {
    console.log(`# ${name}: no benchmark yet`);
    continue;
  }
  const module = await import(file);
  console.log(`# ${name}`);
  const rows = await module[fn]();
  for (const row of rows) {
    const verdict = row.pass === undefined ? '' : row.pass ? 'ok  ' : 'MISS';
    console.log(`${verdict} ${row.name}: ${row.value} ${row.unit} (target ${row.target})`);
    if (row.pass === false) failed++;
  }
}
console.log(failed === 0 ? 'all targets met' : `${failed} target(s) missed`);
process.exitCode = failed === 0 ? 0 : 1;
