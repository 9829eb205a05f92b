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

  it('ships no source map without its source: no .map files, no sourceMappingURL comments', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    // A map pointing to ../src/*.ts that is not in the package only makes debuggers and bundlers complain.
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
    const installed = path.join(project, 'node_modules', 'session-logoff');
    for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const text = await readFile(path.join(installed, file), 'utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, file);
    }
  });

  it('every help example that rehearses on the example farm works as printed, from any folder', async function () {
    this.timeout(600_000);
    const commands = [[], ...['list', 'logoff', 'message', 'drain', 'logons', 'cordon', 'uncordon', 'parse', 'report', 'rollout', 'completion'].map((c) => [c])];
    const examples = new Set<string>();
    for (const command of commands) {
      const { stdout } = await run('npx', ['--no-install', 'session-logoff', ...command, '--help'], { cwd: project });
      for (const example of helpExamples(stdout)) if (example.includes('--farm')) examples.add(example);
    }
    assert.ok(examples.size >= 2, `rehearsal examples found: ${[...examples].join(' | ')}`);
    for (const example of examples) {
      const words = example.split(/\s+/);
      assert.equal(words[0], 'session-logoff', example);
      assert.ok(!/["'$`]/.test(example), `run without a shell: ${example}`);
      // The consumer project has no examples/ folder: the example farm must come from the package.
      const result = await run('npx', ['--no-install', ...words], { cwd: project }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      assert.equal(result.code, 0, `${example}\n${result.stderr}`);
      assert.notEqual(result.stdout.trim(), '', example);
    }
  });

  it('the library imports from the installed package with its types', async () => {
    const script = "import * as api from 'session-logoff'; console.log(typeof api.parseQuser, typeof api.listSessions, typeof api.drain);";
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project });
    assert.equal(stdout.trim(), 'function function function');
  });
});

/**
 * The commands of a help text's Examples section, each on one line again: yargs wraps a long example
 * across lines in its left column (the description is the right column, after a run of spaces).
 */
function helpExamples(help: string): string[] {
  const section = help.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
  const examples: string[] = [];
  for (const line of section.split('\n')) {
    const body = line.slice(2);
    const left = body.startsWith(' ') ? '' : (body.split(/\s{2,}/)[0] ?? '');
    if (left.startsWith('session-logoff ')) examples.push(left);
    else if (left !== '' && examples.length > 0) examples[examples.length - 1] += ` ${left}`;
  }
  return examples;
}
