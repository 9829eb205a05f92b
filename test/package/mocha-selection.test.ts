import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const mochaBin = path.join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js');

/** The test files mocha loaded, relative to the repo: a dry run lists every test without running any. */
async function selectedFiles(args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [mochaBin, '--dry-run', '--reporter', 'json', ...args], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout) as { tests: { file: string }[] };
  return [...new Set(report.tests.map((t) => path.relative(repo, t.file).split(path.sep).join('/')))].sort();
}

async function testFilesOnDisk(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(repo, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? testFilesOnDisk(`${dir}/${e.name}`) : Promise.resolve(e.name.endsWith('.test.ts') ? [`${dir}/${e.name}`] : []))),
  );
  return nested.flat();
}

// `.mocharc.json`'s spec used to be added to the files given on the command line, so `npx mocha <file>`
// ran the whole suite. The full selection now lives in the `test` script, which `npm test` runs after pretest.
describe('which test files mocha runs', function () {
  this.timeout(60_000);

  it('`npx mocha <file>` loads that file only', async () => {
    assert.deepEqual(await selectedFiles(['test/unit/validate.test.ts']), ['test/unit/validate.test.ts']);
  });

  it('`npm test` (its script, after the pretest build and typecheck) loads every test file', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['pretest'] ?? '', /build.*typecheck/);
    // Double quotes so cmd.exe (npm's script shell on Windows) passes the glob to mocha unexpanded too.
    const match = /^mocha "([^"]+)"$/u.exec(pkg.scripts['test'] ?? '');
    assert.ok(match?.[1], `unexpected test script: ${pkg.scripts['test']}`);
    const expected = (await testFilesOnDisk('test')).sort();
    assert.ok(expected.length > 10);
    assert.deepEqual(await selectedFiles([match[1]]), expected);
  });
});
