/*
 * End to end: the BUILT CLI (`npm run build` first) stopped the way CI stops it. SIGTERM (a cancelled job)
 * and SIGHUP (a closed terminal) are handled like Ctrl-C: the partial report on stdout, --report written,
 * the audit log complete, the blocked-logons hint, no child process left, exit 143 / 129. Every wait is
 * for an event (a line in the audit log, a call in the farm state, a line on stdout), never a fixed sleep,
 * and nothing here asserts how long anything took.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, killStartedClis, startCli, until } from '../helpers/cli.js';
import { createFarmFixture, processesOf, type FarmFixture } from '../helpers/farm.js';
import { requirePwsh } from '../helpers/pwsh.js';

const EXAMPLE_FARM = fileURLToPath(new URL('../../examples/farm.json', import.meta.url));
const SIM = ['--transport', 'simulated', '--farm', EXAMPLE_FARM];

async function auditLines(file: string): Promise<{ host: string; action: string; result: string; username: string | null }[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}


describe('e2e: SIGTERM and SIGHUP stop the built CLI like Ctrl-C', function () {
  this.timeout(180_000);
  let dir: string;

  before(function () {
    if (process.platform === 'win32') this.skip(); // No POSIX signals to send.
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'session-logoff-signals-'));
  });
  afterEach(async () => {
    // A CLI that failed to stop must not outlive its test.
    killStartedClis();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} during a drain's grace period: exit ${code}, partial report on stdout and in --report, audit log complete, blocked-logons hint`, async () => {
      const audit = join(dir, 'audit.jsonl');
      const reportFile = join(dir, 'report.json');
      const run = startCli(['drain', '-s', 'rdsh01', '--grace', '10m', '--yes', '--json', '--audit-log', audit, '--report', reportFile, ...SIM]);
      // rdsh01 has two Active users: once both were warned, the drain waits out its grace period.
      await until('both users were warned', async () => (await auditLines(audit)).filter((e) => e.action === 'message').length === 2, run);
      run.child.kill(signal);
      assert.deepEqual(await run.closed, { code, signal: null }, run.stderr());

      const doc = JSON.parse(run.stdout());
      assert.equal(doc.interrupted, true);
      assert.deepEqual(doc.hosts.map((h: { host: string; status: string }) => `${h.host} ${h.status}`), ['rdsh01 interrupted']);
      const done = doc.actions.filter((a: { status: string }) => a.status === 'done').map((a: { action: string; username: string | null }) => `${a.action} ${a.username ?? '-'}`);
      assert.deepEqual(done, ['block-logons -', 'message alice', 'message carol'], 'nobody was logged off');

      const written = JSON.parse(await readFile(reportFile, 'utf8'));
      assert.equal(written.interrupted, true);
      assert.deepEqual(written.actions, doc.actions);
      assert.deepEqual(written.hosts, doc.hosts);

      // Every change made is in the audit log, and nothing else.
      const events = (await auditLines(audit)).filter((e) => e.result === 'done').map((e) => `${e.action} ${e.username ?? '-'}`);
      assert.deepEqual(events, done);

      assert.match(run.stderr(), new RegExp(`interrupted by ${signal}`));
      // Pasteable as printed (issue 12): the run's transport, farm and audit log are repeated.
      assert.match(run.stderr(), /new logons stay blocked on 1 host\(s\) .*session-logoff logons enable -s rdsh01 --transport simulated --farm \S+ --audit-log \S+ --yes/);
    });
  }

  for (const [first, second, code] of [['SIGTERM', 'SIGTERM', 143], ['SIGTERM', 'SIGHUP', 129]] as const) {
    it(`a second signal ends the CLI at once by that signal (${first} then ${second}: a shell shows ${code}), even while the stop is stuck`, async function () {
      if (process.platform !== 'linux') this.skip(); // mkfifo
      // Writing --report to a FIFO nobody reads blocks for ever: the graceful stop cannot finish by itself.
      const fifo = join(dir, 'report.fifo');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
      const audit = join(dir, 'audit.jsonl');
      const run = startCli(['drain', '-s', 'rdsh01', '--grace', '10m', '--yes', '--json', '--audit-log', audit, '--report', fifo, ...SIM]);
      await until('both users were warned', async () => (await auditLines(audit)).filter((e) => e.action === 'message').length === 2, run);
      run.child.kill(first);
      // The partial report and the hint come before the --report write, which now hangs.
      await until('the partial report and the hint are out', () => run.stdout().trimEnd().endsWith('}') && /logons enable/.test(run.stderr()), run);
      assert.equal(JSON.parse(run.stdout()).interrupted, true);
      assert.equal(run.child.exitCode, null, 'still stuck writing --report');
      run.child.kill(second);
      // It ends by that signal (process.exit would wait for the stuck write), which a shell shows as `code`.
      const end = await run.closed;
      assert.deepEqual(end, { code: null, signal: second }, run.stderr());
      assert.equal(128 + constants.signals[second], code);
      assert.doesNotMatch(run.stderr(), /cannot write --report/);
    });
  }

  describe('no child process is left (the test doubles on PATH)', () => {
    let fx: FarmFixture | undefined;

    before(function () {
      if (process.platform !== 'linux') this.skip(); // The leftover-process check reads /proc.
    });
    afterEach(async () => {
      await fx?.cleanup();
      fx = undefined;
    });

    for (const transport of ['exec', 'powershell'] as const) {
      it(`--transport ${transport}: SIGTERM while a call hangs kills it (and its pwsh), exit 143`, async function () {
        const pwshEnv = transport === 'powershell' ? { SESSION_LOGOFF_PWSH: requirePwsh(this) } : {};
        fx = await createFarmFixture({ localHost: 'admin01', hosts: { stuck: { fault: 'hang', sessions: [] } } });
        const state = fx;
        const run = startCli(
          ['drain', '-s', 'stuck', '--block-logons', 'none', '--grace', '10m', '--timeout', '10m', '--retries', '0', '--yes', '--json', '--transport', transport],
          { ...fx.env, ...pwshEnv },
        );
        // The double logs its call, then hangs until killed.
        await until('quser on stuck hangs', async () => (await state.readState().catch(() => ({ calls: [] }))).calls.some((c) => c.program === 'quser' && c.args.includes('/server:stuck')), run);
        assert.ok(processesOf(fx).some((p) => p.includes('/server:stuck')), 'the hanging quser runs');
        run.child.kill('SIGTERM');
        assert.deepEqual(await run.closed, { code: 143, signal: null }, run.stderr());
        const doc = JSON.parse(run.stdout());
        assert.equal(doc.interrupted, true);
        assert.deepEqual(doc.hosts.map((h: { host: string; status: string }) => `${h.host} ${h.status}`), ['stuck interrupted']);
        // A SIGKILLed process can take a moment to be gone from /proc; wait for it (mocha's timeout bounds this).
        let left = processesOf(fx);
        for (let i = 0; left.length > 0 && i < 100; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          left = processesOf(fx);
        }
        assert.deepEqual(left, [], 'no child of the CLI (pwsh, quser) is left running');
      });
    }
  });
});
