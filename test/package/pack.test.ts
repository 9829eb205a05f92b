import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));

// The way people meet the tool: a tarball installed into an empty project, then `npx session-logoff`.
// It needs the npm registry (or npm's cache) for the runtime dependencies, as every install does.
describe('npm pack → install into an empty project → npx session-logoff', function () {
  this.timeout(240_000);
  let work: string;
  let project: string;
  let tarball: string;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sl-pack-'));
    // --ignore-scripts: `npm test` has just built dist/, and prepack would rebuild it for nothing.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repo });
    const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const first = packed[0];
    assert.ok(first, 'npm pack reported no tarball');
    tarball = path.join(work, first.filename);
    project = path.join(work, 'consumer');
    await run('mkdir', ['-p', project]);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships only what is needed', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    const topLevel = new Set(files.map((f) => f.split('/')[0]));
    for (const entry of topLevel) {
      assert.ok(
        ['dist', 'ps', 'examples', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(entry ?? ''),
        `unexpected file in the tarball: ${entry}`,
      );
    }
    assert.ok(files.includes('dist/cli.js'), 'the bin is missing');
    assert.ok(files.includes('dist/index.d.ts'), 'type declarations are missing');
    assert.ok(files.some((f) => f.startsWith('ps/') && f.endsWith('.ps1')), 'PowerShell scripts are missing');
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/')), 'sources or tests leaked into the tarball');
  });

  it('npx session-logoff --version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await run('npx', ['--no-install', 'session-logoff', '--version'], { cwd: project });
    assert.equal(stdout.trim(), pkg.version);
  });

  it('npx session-logoff lists the shipped example farm as JSON', async () => {
    const farm = path.join(project, 'node_modules', 'session-logoff', 'examples', 'farm.json');
    const { stdout } = await run(
      'npx',
      ['--no-install', 'session-logoff', 'list', '--transport', 'simulated', '--farm', farm, '--server', 'rdsh01', '--format', 'json'],
      { cwd: project },
    );
    const report = JSON.parse(stdout) as { sessions: { host: string; id: number }[]; errors: unknown[] };
    assert.ok(report.sessions.length > 0, 'no sessions listed');
    assert.ok(report.sessions.every((s) => s.host.toLowerCase() === 'rdsh01'));
    assert.deepEqual(report.errors, []);
  });

  it('the library imports from the installed package with its types', async () => {
    const script = "import * as api from 'session-logoff'; console.log(typeof api.parseQuser, typeof api.listSessions, typeof api.drain);";
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project });
    assert.equal(stdout.trim(), 'function function function');
  });
});
