import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMaintenanceCommand } from '../../../../src/core/rollout/index.js';

/** Real processes: the command runner spawns programs; nothing here asserts how long anything took. */
const NODE = process.execPath;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('core/rollout: the maintenance command', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maint-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('argv as given, {host} replaced in each argument, no shell, SESSION_LOGOFF_HOST set, both streams prefixed', async () => {
    const lines: string[] = [];
    const maintain = createMaintenanceCommand({
      argv: [NODE, '-e', 'console.log(JSON.stringify(process.argv.slice(1)), process.env.SESSION_LOGOFF_HOST); console.error("to stderr")', 'x-{host}-{host}', '$(whoami);echo {host} >&2', '*'],
      output: (line) => lines.push(line),
    });
    await maintain('rds01', new AbortController().signal);
    assert.deepEqual(lines.sort(), ['[rds01] ["x-rds01-rds01","$(whoami);echo rds01 >&2","*"] rds01\n', '[rds01] to stderr\n']);
  });

  it('a non-zero exit is a failure naming the code; a program that cannot start says so', async () => {
    const maintain = createMaintenanceCommand({ argv: [NODE, '-e', 'process.exit(3)'], output: () => undefined });
    await assert.rejects(maintain('rds01', new AbortController().signal), /exited with code 3/);
    const missing = createMaintenanceCommand({ argv: [join(dir, 'no-such-program')], output: () => undefined });
    await assert.rejects(missing('rds01', new AbortController().signal), /could not start .*ENOENT/);
    assert.throws(() => createMaintenanceCommand({ argv: [] }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('--log-dir: each host writes <dir>/<host>.log, nothing on stderr', async () => {
    const lines: string[] = [];
    const maintain = createMaintenanceCommand({ argv: [NODE, '-e', 'console.log("patched", process.argv[1])', '{host}'], output: (l) => lines.push(l), logDir: dir });
    await maintain('rds01', new AbortController().signal);
    await maintain('rds01', new AbortController().signal);
    assert.equal(await readFile(join(dir, 'rds01.log'), 'utf8'), 'patched rds01\npatched rds01\n');
    assert.deepEqual(lines, []);
  });

  it('an abort ends the whole process group: the program and what it started', async function () {
    if (process.platform === 'win32') this.skip();
    const pidFile = join(dir, 'child.pid');
    // The program starts a child that would run forever, writes its pid, and waits.
    const script = `const { spawn } = require('node:child_process'); const fs = require('node:fs');
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      fs.writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const controller = new AbortController();
    const maintain = createMaintenanceCommand({ argv: [NODE, '-e', script], output: () => undefined });
    const running = maintain('rds01', controller.signal);
    await until(() => readFile(pidFile, 'utf8').then((t) => t.length > 0, () => false));
    const child = Number(await readFile(pidFile, 'utf8'));
    assert.ok(alive(child));
    controller.abort();
    await assert.rejects(running, /ended by SIGTERM/);
    await until(() => !alive(child));
  });
});
